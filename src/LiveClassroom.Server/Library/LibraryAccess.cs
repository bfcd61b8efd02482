using LiveClassroom.Server.Access;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Library;

/// <summary>
/// Who may do what with a resource. Published: every signed-in person sees it. Not published: the author's school
/// and the admins above it. School review: school admin of the author's school. County review and takedown:
/// county admin of a county above the school (or a city/province admin above it).
/// </summary>
public sealed class LibraryAccess(OrganisationScope orgs)
{
    private static readonly string[] AdminRoles = [Roles.SchoolAdmin, Roles.CountyAdmin, Roles.CityAdmin, Roles.ProvinceAdmin];
    private static readonly string[] UpperRoles = [Roles.CountyAdmin, Roles.CityAdmin, Roles.ProvinceAdmin];

    public async Task<bool> CanSeeAsync(Caller caller, ResourceRow r) =>
        r.Status == ResourceStatus.Published || await CanSeeUnpublishedAsync(caller, r);

    public async Task<bool> CanSeeUnpublishedAsync(Caller caller, ResourceRow r) =>
        caller.OrganisationId == r.SchoolId || await orgs.CoversAsync(caller, r.SchoolId, AdminRoles);

    public static bool IsAuthor(Caller caller, ResourceRow r) => r.AuthorId == caller.PersonId;

    public static bool CanReviewAtSchool(Caller caller, ResourceRow r) => caller.Holds(Roles.SchoolAdmin, r.SchoolId);

    public Task<bool> CanReviewAtCountyAsync(Caller caller, ResourceRow r) => orgs.CoversAsync(caller, r.SchoolId, UpperRoles);
}
