using System.Security.Claims;
using LiveClassroom.Server.Access;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Library;

/// <summary>
/// Who may do what with a resource. Published: every signed-in person sees it. Not published: the author's school
/// and the admins of that school or above. School review: school admin of the author's school. County review and
/// takedown: county admin of a county above the school (or a city/province admin above it).
/// Role coverage (an admin role covers its organisation's subtree) comes from the accounts' <see cref="AccessPolicy"/>.
/// </summary>
public sealed class LibraryAccess(AccessPolicy policy)
{
    public bool CanSee(ClaimsPrincipal user, Caller caller, ResourceRow r) =>
        r.Status == ResourceStatus.Published || CanSeeUnpublished(user, caller, r);

    public bool CanSeeUnpublished(ClaimsPrincipal user, Caller caller, ResourceRow r) =>
        caller.OrganisationId == r.SchoolId || policy.AdministersOrganisation(user, r.SchoolId);

    public static bool IsAuthor(Caller caller, ResourceRow r) => r.AuthorId == caller.PersonId;

    public static bool CanReviewAtSchool(Caller caller, ResourceRow r) => caller.Holds(Roles.SchoolAdmin, r.SchoolId);

    public bool CanReviewAtCounty(ClaimsPrincipal user, ResourceRow r) =>
        policy.HasRole(user, Roles.CountyAdmin, r.SchoolId)
        || policy.HasRole(user, Roles.CityAdmin, r.SchoolId)
        || policy.HasRole(user, Roles.ProvinceAdmin, r.SchoolId);
}
