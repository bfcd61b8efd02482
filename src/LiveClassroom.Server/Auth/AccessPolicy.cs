using System.Globalization;
using System.Security.Claims;

namespace LiveClassroom.Server.Auth;

/// <summary>
/// Answers "who is this and what may they do where" from a principal's claims and the cached organisation
/// tree — no database round trip, so hubs may call it on every message.
/// Admin roles cover the organisation they are held at and everything below it; teacher and researcher roles
/// apply at their own organisation (use <see cref="HasRoleAtOrAbove"/> where a county researcher may act in its schools).
/// </summary>
public sealed class AccessPolicy(OrganisationDirectory directory, PrincipalRevocations revocations)
{
    public OrganisationTree Tree => directory.Current;

    public bool IsPerson(ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true && principal.FindFirstValue(LcClaims.Kind) == LcClaims.KindPerson;

    public bool IsDevice(ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true && principal.FindFirstValue(LcClaims.Kind) == LcClaims.KindDevice;

    /// <summary>The person's id, or null for devices and anonymous callers.</summary>
    public Guid? PersonId(ClaimsPrincipal principal) => IsPerson(principal) ? GuidClaim(principal, LcClaims.Subject) : null;

    public Guid? DeviceId(ClaimsPrincipal principal) => IsDevice(principal) ? GuidClaim(principal, LcClaims.Subject) : null;

    /// <summary>The classroom a device principal sits in.</summary>
    public Guid? ClassroomId(ClaimsPrincipal principal) => IsDevice(principal) ? GuidClaim(principal, LcClaims.Classroom) : null;

    /// <summary>The school of a device principal.</summary>
    public Guid? SchoolId(ClaimsPrincipal principal) => IsDevice(principal) ? GuidClaim(principal, LcClaims.Organisation) : null;

    /// <summary>The home organisation of a person, or the school of a device.</summary>
    public Guid? OrganisationId(ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true ? GuidClaim(principal, LcClaims.Organisation) : null;

    /// <summary>The device token's id (jti).</summary>
    public Guid? TokenId(ClaimsPrincipal principal) => IsDevice(principal) ? GuidClaim(principal, LcClaims.TokenId) : null;

    public IReadOnlyList<RoleGrant> RolesOf(ClaimsPrincipal principal)
    {
        if (!IsPerson(principal))
        {
            return [];
        }
        var list = new List<RoleGrant>();
        foreach (var claim in principal.FindAll(LcClaims.Role))
        {
            if (RoleGrant.Parse(claim.Value) is { } grant)
            {
                list.Add(grant);
            }
        }
        return list;
    }

    /// <summary>
    /// Holds <paramref name="role"/> for <paramref name="organisationId"/>: exactly there, or — for admin roles —
    /// at an ancestor.
    /// </summary>
    public bool HasRole(ClaimsPrincipal principal, string role, Guid organisationId)
    {
        var tree = Tree;
        foreach (var grant in RolesOf(principal))
        {
            if (grant.Role != role)
            {
                continue;
            }
            if (grant.OrganisationId == organisationId
                || (Roles.IsAdmin(role) && tree.IsAncestorOrSelf(grant.OrganisationId, organisationId)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Holds <paramref name="role"/> at <paramref name="organisationId"/> or at any ancestor of it.</summary>
    public bool HasRoleAtOrAbove(ClaimsPrincipal principal, string role, Guid organisationId)
    {
        var tree = Tree;
        foreach (var grant in RolesOf(principal))
        {
            if (grant.Role == role && tree.IsAncestorOrSelf(grant.OrganisationId, organisationId))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Holds any role at <paramref name="organisationId"/> or above it (anyone with business there).</summary>
    public bool HasAnyRoleAtOrAbove(ClaimsPrincipal principal, Guid organisationId)
    {
        var tree = Tree;
        foreach (var grant in RolesOf(principal))
        {
            if (tree.IsAncestorOrSelf(grant.OrganisationId, organisationId))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Holds an admin role at <paramref name="organisationId"/> or at an ancestor of it.</summary>
    public bool AdministersOrganisation(ClaimsPrincipal principal, Guid organisationId)
    {
        var tree = Tree;
        if (tree.Find(organisationId) is null)
        {
            return false;
        }
        foreach (var grant in RolesOf(principal))
        {
            if (Roles.IsAdmin(grant.Role) && tree.IsAncestorOrSelf(grant.OrganisationId, organisationId))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The organisations where the principal holds an admin role (each covers its subtree).</summary>
    public IReadOnlyList<Guid> AdminRoots(ClaimsPrincipal principal) =>
        [.. RolesOf(principal).Where(g => Roles.IsAdmin(g.Role)).Select(g => g.OrganisationId).Distinct()];

    /// <summary>
    /// True when a principal that authenticated earlier must no longer be served: its device was revoked, the person
    /// was deactivated, or their roles or password changed since the token was issued. Hubs call this on long-lived
    /// connections, which authenticate only once.
    /// </summary>
    public bool IsRevoked(ClaimsPrincipal principal)
    {
        if (IsDevice(principal))
        {
            return TokenId(principal) is not { } jti || revocations.IsDeviceTokenRevoked(jti);
        }
        if (PersonId(principal) is { } person)
        {
            long? issuedAt = long.TryParse(principal.FindFirstValue(LcClaims.IssuedAt), NumberStyles.None, CultureInfo.InvariantCulture, out var iat)
                ? iat : null;
            return revocations.IsPersonInactive(person) || revocations.IsPersonTokenStale(person, issuedAt);
        }
        return true;
    }

    public bool IsAncestorOrSelf(Guid ancestor, Guid descendant) => Tree.IsAncestorOrSelf(ancestor, descendant);

    /// <summary>The school of a classroom, from the cache; null when unknown.</summary>
    public Guid? SchoolOfClassroom(Guid classroomId) => Tree.SchoolOfClassroom(classroomId);

    private static Guid? GuidClaim(ClaimsPrincipal principal, string type) =>
        Guid.TryParse(principal.FindFirstValue(type), out var id) ? id : null;
}
