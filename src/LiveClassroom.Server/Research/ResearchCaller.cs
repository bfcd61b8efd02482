using System.Security.Claims;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Research;

/// <summary>The person behind a request, read from the claims contract of <see cref="LcClaims"/>.</summary>
public sealed record ResearchCaller(ClaimsPrincipal User, Guid PersonId, string Name, Guid? OrganisationId, IReadOnlyList<(string Role, Guid OrganisationId)> Roles)
{
    public static ResearchCaller From(ClaimsPrincipal user)
    {
        if (user.FindFirst(LcClaims.Kind)?.Value is { } kind && kind != LcClaims.KindPerson)
        {
            throw ResearchApiException.Forbidden("not_a_person", "Teaching research is for people, not classroom devices.", "教研功能仅面向个人账号，教室设备无法使用。");
        }
        if (!Guid.TryParse(user.FindFirst(LcClaims.Subject)?.Value, out var id))
        {
            throw ResearchApiException.Forbidden("no_subject", "The token does not name a person.", "令牌中没有用户身份。");
        }
        var roles = new List<(string, Guid)>();
        foreach (var claim in user.FindAll(LcClaims.Role))
        {
            var at = claim.Value.LastIndexOf('@');
            if (at > 0 && Guid.TryParse(claim.Value.AsSpan(at + 1), out var org))
            {
                roles.Add((claim.Value[..at], org));
            }
        }
        Guid? home = Guid.TryParse(user.FindFirst(LcClaims.Organisation)?.Value, out var o) ? o : null;
        return new ResearchCaller(user, id, user.FindFirst(LcClaims.Name)?.Value ?? "", home, roles);
    }

    /// <summary>Organisations where the caller holds a researcher or admin role (a default for where to schedule).</summary>
    public IEnumerable<Guid> SupervisingOrganisations =>
        Roles.Where(r => r.Role == Auth.Roles.Researcher || Auth.Roles.IsAdmin(r.Role)).Select(r => r.OrganisationId).Distinct();

    /// <summary>Every organisation the caller belongs to or holds a role in (a school invitation admits its teachers).</summary>
    public IEnumerable<Guid> MemberOrganisations =>
        Roles.Select(r => r.OrganisationId).Concat(OrganisationId is { } o ? [o] : []).Distinct();
}
