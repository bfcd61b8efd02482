using LiveClassroom.Server.Hosting;
using System.Globalization;
using System.Security.Claims;
using LiveClassroom.Server.Apis.Contracts;
using Microsoft.Extensions.Options;

namespace LiveClassroom.Server.Auth;

/// <summary>Builds the claims of <see cref="LcClaims"/> for people and devices and signs them.</summary>
public sealed class AccountTokens(TokenService tokens, IOptions<AccountOptions> options, ServerClock time)
{
    /// <param name="restriction">A <see cref="LcClaims.Restriction"/> value: the token then carries no roles and reaches
    /// only what a pending applicant or a person with a one-time password may.</param>
    public (string Token, DateTimeOffset ExpiresAt) IssueForPerson(PersonView person, string? restriction = null)
    {
        var lifetime = TimeSpan.FromHours(options.Value.PersonTokenHours);
        var claims = PersonClaims(person);
        if (restriction is not null)
        {
            claims.RemoveAll(c => c.Type == LcClaims.Role);
            claims.Add(new(LcClaims.Restriction, restriction));
        }
        claims.Add(new(LcClaims.IssuedAt, time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        // Signed with the same clock TokenService checks expiry against; whole seconds like the token's exp.
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds());
        return (tokens.Issue(claims, lifetime), expiresAt);
    }

    /// <summary>
    /// The person as their token would present them now, from their current row and roles: for grants that outlive a
    /// request (a media ticket) and must be checked against who the person is today, not when the grant was made.
    /// </summary>
    public static ClaimsPrincipal PrincipalOf(PersonView person) => new(new ClaimsIdentity(PersonClaims(person), "stored-person"));

    private static List<Claim> PersonClaims(PersonView person)
    {
        var claims = new List<Claim>
        {
            new(LcClaims.Subject, person.Id.ToString()),
            new(LcClaims.Name, person.DisplayName),
            new(LcClaims.Kind, LcClaims.KindPerson),
            new(LcClaims.Organisation, person.OrganisationId.ToString()),
        };
        claims.AddRange(person.Roles.Select(r => new Claim(LcClaims.Role, new RoleGrant(r.Role, r.OrganisationId).ToClaimValue())));
        return claims;
    }

    public string IssueForDevice(Guid deviceId, string name, Guid classroomId, Guid schoolId, Guid tokenId)
    {
        Claim[] claims =
        [
            new(LcClaims.Subject, deviceId.ToString()),
            new(LcClaims.Name, name),
            new(LcClaims.Kind, LcClaims.KindDevice),
            new(LcClaims.Organisation, schoolId.ToString()),
            new(LcClaims.Classroom, classroomId.ToString()),
            new(LcClaims.TokenId, tokenId.ToString()),
        ];
        return tokens.Issue(claims, TimeSpan.FromDays(options.Value.DeviceTokenDays));
    }
}
