using System.Security.Claims;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Rooms;

/// <summary>The authenticated caller as the room code needs it, read from the token's claims (LcClaims).</summary>
public sealed record CallerIdentity(
    Guid Id,
    string DisplayName,
    bool IsDevice,
    Guid OrganisationId,
    Guid? ClassroomId,
    IReadOnlyList<RoleGrant> Roles)
{
    /// <summary>The caller, or null when the principal lacks the claims every LiveClassroom token carries.</summary>
    public static CallerIdentity? From(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true
            || !Guid.TryParse(user.FindFirstValue(LcClaims.Subject), out var id)
            || !Guid.TryParse(user.FindFirstValue(LcClaims.Organisation), out var org))
        {
            return null;
        }
        var isDevice = user.FindFirstValue(LcClaims.Kind) == LcClaims.KindDevice;
        Guid? classroom = Guid.TryParse(user.FindFirstValue(LcClaims.Classroom), out var c) ? c : null;
        if (isDevice && classroom is null)
        {
            return null;
        }
        var roles = new List<RoleGrant>();
        foreach (var claim in isDevice ? [] : user.FindAll(LcClaims.Role))
        {
            if (RoleGrant.Parse(claim.Value) is { } grant)
            {
                roles.Add(grant);
            }
        }
        var name = user.FindFirstValue(LcClaims.Name);
        return new CallerIdentity(id, string.IsNullOrWhiteSpace(name) ? (isDevice ? "教室终端" : "用户") : name, isDevice, org, isDevice ? classroom : null, roles);
    }

    public bool Holds(string role, Guid organisationId) =>
        Roles.Any(r => r.Role == role && r.OrganisationId == organisationId);
}
