using System.Globalization;
using System.Security.Claims;
using LiveClassroom.Server.Apis.Contracts;
using Microsoft.Extensions.Options;

namespace LiveClassroom.Server.Auth;

/// <summary>Builds the claims of <see cref="LcClaims"/> for people and devices and signs them.</summary>
public sealed class AccountTokens(TokenService tokens, IOptions<AccountOptions> options, TimeProvider time)
{
    public (string Token, DateTimeOffset ExpiresAt) IssueForPerson(PersonView person)
    {
        var lifetime = TimeSpan.FromHours(options.Value.PersonTokenHours);
        var claims = new List<Claim>
        {
            new(LcClaims.Subject, person.Id.ToString()),
            new(LcClaims.Name, person.DisplayName),
            new(LcClaims.Kind, LcClaims.KindPerson),
            new(LcClaims.Organisation, person.OrganisationId.ToString()),
            new(LcClaims.IssuedAt, time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(person.Roles.Select(r => new Claim(LcClaims.Role, new RoleGrant(r.Role, r.OrganisationId).ToClaimValue())));
        // Signed with the same clock TokenService checks expiry against; whole seconds like the token's exp.
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds());
        return (tokens.Issue(claims, lifetime), expiresAt);
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
