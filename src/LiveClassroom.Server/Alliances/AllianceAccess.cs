using System.Security.Claims;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Alliances;

/// <summary>
/// Who may do what with an alliance, from the caller's role grants and the organisation tree: the level's admin is an
/// admin role held exactly at the alliance's organisation (not above, not below, not a sibling); admins above only see.
/// </summary>
public sealed class AllianceAccess(AccessPolicy access)
{
    private static readonly string[] ProposerRoles = [Roles.LeadTeacher, Roles.AssistantTeacher, Roles.SchoolAdmin];

    public AccessPolicy Policy => access;

    /// <summary>Holds the admin role of the organisation's own level, there.</summary>
    public bool IsLevelAdmin(ClaimsPrincipal user, Guid organisationId) =>
        access.Tree.Find(organisationId) is { } node
        && access.RolesOf(user).Any(g => Roles.IsAdmin(g.Role) && g.OrganisationId == organisationId && OrganisationKinds.KindForRole(g.Role) == node.Kind);

    /// <summary>A teacher or school admin of a school under the organisation: who may propose an alliance there.</summary>
    public bool MayPropose(ClaimsPrincipal user, Guid organisationId) =>
        access.RolesOf(user).Any(g => ProposerRoles.Contains(g.Role) && access.Tree.IsAncestorOrSelf(organisationId, g.OrganisationId));

    /// <summary>A teacher of a school under the organisation: who may ask to join.</summary>
    public bool IsTeacherUnder(ClaimsPrincipal user, Guid organisationId) =>
        access.RolesOf(user).Any(g => g.Role is Roles.LeadTeacher or Roles.AssistantTeacher && access.Tree.IsAncestorOrSelf(organisationId, g.OrganisationId));

    /// <summary>
    /// Sees an alliance: its members and applicant always; admins at or above its level always; anyone with a role at
    /// or under its level once it is certified (applications are the applicant's and the admins' business).
    /// </summary>
    public bool MaySee(ClaimsPrincipal user, AllianceRecord a, Guid? me) =>
        (me is { } p && (a.Members.ContainsKey(p) || a.AppliedBy == p))
        || access.AdministersOrganisation(user, a.OrganisationId)
        || (a.Status is not (AllianceRules.Applied or AllianceRules.Rejected)
            && access.RolesOf(user).Any(g => access.Tree.IsAncestorOrSelf(a.OrganisationId, g.OrganisationId)));

    /// <summary>The organisations whose alliances the caller may see: above each of their roles, and under their admin roles.</summary>
    public IReadOnlyList<Guid> Scope(ClaimsPrincipal user)
    {
        var set = new HashSet<Guid>();
        foreach (var g in access.RolesOf(user))
        {
            foreach (var n in access.Tree.PathToRoot(g.OrganisationId))
            {
                set.Add(n.Id);
            }
            if (Roles.IsAdmin(g.Role))
            {
                set.UnionWith(access.Tree.SubtreeOf(g.OrganisationId));
            }
        }
        return [.. set];
    }

    /// <summary>The chief of the alliance, or the admin of its level: who manages members and applications.</summary>
    public bool MayManage(ClaimsPrincipal user, AllianceRecord a, Guid? me) =>
        (me is { } p && a.Members.GetValueOrDefault(p) == AllianceRules.Chief) || IsLevelAdmin(user, a.OrganisationId);

    /// <summary>The chief, an expert, or the level's admin: who schedules the alliance's research sessions.</summary>
    public bool MaySchedule(ClaimsPrincipal user, AllianceRecord a, Guid? me) =>
        (me is { } p && a.Members.GetValueOrDefault(p) is AllianceRules.Chief or AllianceRules.Expert) || IsLevelAdmin(user, a.OrganisationId);

    /// <summary>The chief or a guiding expert: who schedules the alliance's pairings (a teaching arrangement, not an admin act).</summary>
    public static bool MaySchedulePairing(AllianceRecord a, Guid? me) =>
        me is { } p && a.Members.GetValueOrDefault(p) is AllianceRules.Chief or AllianceRules.Expert;

    /// <summary>
    /// Withdraws a pending pairing: the alliance's chief, or the chief or guiding expert who proposed it while they still
    /// hold that role (an expert cannot withdraw another expert's proposal; a member who left cannot withdraw at all).
    /// </summary>
    public static bool MayCancelPairing(AllianceRecord a, Guid? me, AlliancePairingView p) =>
        me is { } m && a.Members.GetValueOrDefault(m) is { } role
        && (role == AllianceRules.Chief || (role == AllianceRules.Expert && p.ProposedById == m));

    /// <summary>
    /// Confirms (or rejects) a pairing that crosses counties: a county, city or province admin at or above the county of
    /// every rural classroom (the counties whose classes change), as the county confirms a class order.
    /// </summary>
    public bool MayConfirmPairing(ClaimsPrincipal user, AlliancePairingView p) =>
        p.Rural.Select(c => access.Tree.Find(c.SchoolId)?.ParentId).Distinct().All(county =>
            county is { } c && LiveClassroom.Server.Apis.ClassOrdersApi.CountyLevelAdmin(access, user, c));
}
