using LiveClassroom.Grains;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Rooms;

/// <summary>
/// The role matrix of docs/HUB.md: maps a caller to their role in one class, or null when they are refused.
/// The grain re-checks lead/classroom claims against its own data; this decides who may come in at all.
/// </summary>
public sealed class ClassRoleResolver(OrgTree orgTree)
{
    private static readonly string[] AdminRoles = [Roles.SchoolAdmin, Roles.CountyAdmin, Roles.CityAdmin, Roles.ProvinceAdmin];

    /// <summary>The caller's grain identity in this class, or null (refused).</summary>
    public async Task<RoomCaller?> ResolveAsync(CallerIdentity caller, ClassParties parties, CancellationToken ct = default)
    {
        var role = await ResolveRoleAsync(caller, parties, ct);
        if (role is null)
        {
            return null;
        }
        return new RoomCaller(
            caller.Id.ToString(),
            caller.DisplayName,
            role.Value.Role,
            role.Value.ClassroomId?.ToString(),
            caller.IsDevice ? PrincipalKind.Device : PrincipalKind.Person);
    }

    private async Task<(RoomRole Role, Guid? ClassroomId)?> ResolveRoleAsync(CallerIdentity caller, ClassParties parties, CancellationToken ct)
    {
        if (caller.IsDevice)
        {
            if (caller.ClassroomId == parties.LeadClassroomId)
            {
                return (RoomRole.Lead, parties.LeadClassroomId);
            }
            var paired = parties.RuralClassrooms.FirstOrDefault(c => c.ClassroomId == caller.ClassroomId);
            return paired is null ? null : (RoomRole.Classroom, paired.ClassroomId);
        }

        // A pairing without a named lead teacher accepts any lead teacher of the lead school.
        if (parties.LeadTeacherId is { } lead
                ? caller.Id == lead
                : caller.Holds(Roles.LeadTeacher, parties.LeadSchoolId))
        {
            return (RoomRole.Lead, parties.LeadClassroomId);
        }
        foreach (var rural in parties.RuralClassrooms)
        {
            if (caller.Holds(Roles.AssistantTeacher, rural.SchoolId))
            {
                return (RoomRole.Classroom, rural.ClassroomId);
            }
        }

        // Admins watch with the attendance view (RoomRole.Admin); researchers watch as plain observers.
        var schools = parties.RuralClassrooms.Select(c => c.SchoolId).Prepend(parties.LeadSchoolId).Distinct().ToList();
        if (await CoversAnyAsync(caller, AdminRoles, schools, ct))
        {
            return (RoomRole.Admin, null);
        }
        if (await CoversAnyAsync(caller, [Roles.Researcher], schools, ct))
        {
            return (RoomRole.Observer, null);
        }
        return null;
    }

    /// <summary>True when the caller holds one of <paramref name="roles"/> at one of the schools or above it.</summary>
    public async Task<bool> CoversAnyAsync(CallerIdentity caller, IReadOnlyCollection<string> roles, IEnumerable<Guid> schools, CancellationToken ct = default)
    {
        var grants = caller.Roles.Where(r => roles.Contains(r.Role)).Select(r => r.OrganisationId).ToHashSet();
        if (grants.Count == 0)
        {
            return false;
        }
        foreach (var school in schools)
        {
            if (grants.Overlaps(await orgTree.SelfAndAncestorsAsync(school, ct)))
            {
                return true;
            }
        }
        return false;
    }
}
