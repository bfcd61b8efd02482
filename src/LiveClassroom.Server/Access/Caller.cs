using System.Security.Claims;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Access;

/// <summary>
/// Who is calling, read from the token's claims (<see cref="LcClaims"/>): the person, their organisation and
/// their roles, each held in an organisation, for the recordings and library APIs. Role coverage over the
/// organisation tree (admins above a school) is asked of <see cref="AccessPolicy"/>.
/// </summary>
public sealed record Caller(Guid PersonId, Guid OrganisationId, IReadOnlyList<RoleGrantClaim> Roles)
{
    public static Caller? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true
            || !Guid.TryParse(user.FindFirstValue(LcClaims.Subject), out var person)
            || !Guid.TryParse(user.FindFirstValue(LcClaims.Organisation), out var org)
            || user.FindFirstValue(LcClaims.Kind) is { } kind && kind != LcClaims.KindPerson)
        {
            return null;
        }
        var roles = new List<RoleGrantClaim>();
        foreach (var claim in user.FindAll(LcClaims.Role))
        {
            var at = claim.Value.LastIndexOf('@');
            if (at > 0 && Guid.TryParse(claim.Value.AsSpan(at + 1), out var roleOrg))
            {
                roles.Add(new RoleGrantClaim(claim.Value[..at], roleOrg));
            }
        }
        return new Caller(person, org, roles);
    }

    public bool Holds(string role, Guid organisationId) =>
        Roles.Any(r => r.Role == role && r.OrganisationId == organisationId);

    /// <summary>Organisations where the caller holds one of <paramref name="roles"/>.</summary>
    public Guid[] OrganisationsWith(params string[] roles) =>
        [.. Roles.Where(r => roles.Contains(r.Role)).Select(r => r.OrganisationId).Distinct()];

    /// <summary>Where the caller reviews at county level or takes resources down: county admin or above.</summary>
    public Guid[] UpperAdminOrganisations => OrganisationsWith(Auth.Roles.CountyAdmin, Auth.Roles.CityAdmin, Auth.Roles.ProvinceAdmin);
}
