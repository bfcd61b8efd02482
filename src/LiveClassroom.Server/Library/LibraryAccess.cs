using System.Security.Claims;
using LiveClassroom.Server.Access;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Recording;

namespace LiveClassroom.Server.Library;

/// <summary>
/// Who may do what with a resource. Published: every signed-in person sees it. Not published (draft, in review,
/// rejected, taken down): only its insiders — the author, the author's school and the admins of that school or above.
/// School review: school admin of the author's school. County review and takedown: county admin of a county above the
/// school (or a city/province admin above it). A recording follows the same rule: its resource's once the library has
/// one, the insiders' before. Role coverage (an admin role covers its organisation's subtree) comes from <see cref="AccessPolicy"/>.
/// </summary>
public sealed class LibraryAccess(AccessPolicy policy)
{
    public bool CanSee(ClaimsPrincipal user, Caller caller, ResourceRow r) =>
        r.Status == ResourceStatus.Published || CanSeeUnpublished(user, caller, r);

    public bool CanSeeUnpublished(ClaimsPrincipal user, Caller caller, ResourceRow r) => IsInsider(user, caller, r.SchoolId, r.AuthorId);

    /// <summary>
    /// The one rule for watching a recording, wherever it is played (library, research session, lesson plan):
    /// <see cref="CanSee"/> of its resource, or — while there is none yet — <see cref="IsInsider"/>.
    /// </summary>
    public bool CanSeeRecording(ClaimsPrincipal user, Caller caller, RecordingRow recording, ResourceRow? resource) =>
        resource is null ? IsInsider(user, caller, recording.SchoolId, recording.TeacherId) : CanSee(user, caller, resource);

    /// <summary>The author, a person of the school, or an admin of the school or above it.</summary>
    public bool IsInsider(ClaimsPrincipal user, Caller caller, Guid schoolId, Guid? authorId) =>
        caller.OrganisationId == schoolId || authorId == caller.PersonId || policy.AdministersOrganisation(user, schoolId);

    public static bool IsAuthor(Caller caller, ResourceRow r) => r.AuthorId == caller.PersonId;

    public static bool CanReviewAtSchool(Caller caller, ResourceRow r) => caller.Holds(Roles.SchoolAdmin, r.SchoolId);

    public bool CanReviewAtCounty(ClaimsPrincipal user, ResourceRow r) =>
        policy.HasRole(user, Roles.CountyAdmin, r.SchoolId)
        || policy.HasRole(user, Roles.CityAdmin, r.SchoolId)
        || policy.HasRole(user, Roles.ProvinceAdmin, r.SchoolId);
}
