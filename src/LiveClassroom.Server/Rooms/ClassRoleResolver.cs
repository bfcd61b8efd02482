using LiveClassroom.Grains;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Rooms;

/// <summary>
/// The role matrix of docs/HUB.md: maps a caller to their role in one class, or null when they are refused.
/// The grain re-checks lead/classroom claims against its own data; this decides who may come in at all.
/// </summary>
public sealed class ClassRoleResolver(AccessPolicy policy)
{
    /// <summary>The roles that make a caller an admin of a class whose schools they cover.</summary>
    public static readonly IReadOnlyCollection<string> AdminRoles = [Roles.SchoolAdmin, Roles.CountyAdmin, Roles.CityAdmin, Roles.ProvinceAdmin];

    /// <summary>The caller's grain identity in this class, or null (refused).</summary>
    public RoomCaller? Resolve(CallerIdentity caller, ClassParties parties)
    {
        var role = ResolveRole(caller, parties);
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

    /// <summary>
    /// The caller's grain identity in a pairing. The lead school owns the timetable: an admin role counts as Admin only
    /// when it covers the lead school (its admins and those above it). An admin of a paired rural school only sees the
    /// pairing and rates lessons for its school's classroom (Classroom), nothing more.
    /// </summary>
    public RoomCaller? ResolvePairing(CallerIdentity caller, ClassParties parties)
    {
        var resolved = Resolve(caller, parties);
        if (resolved?.Role != RoomRole.Admin || CoversAny(caller, AdminRoles, [parties.LeadSchoolId]))
        {
            return resolved;
        }
        var own = parties.RuralClassrooms.FirstOrDefault(c => CoversAny(caller, AdminRoles, [c.SchoolId]));
        return own is null
            ? resolved with { Role = RoomRole.Observer }
            : resolved with { Role = RoomRole.Classroom, ClassroomId = own.ClassroomId.ToString() };
    }

    private (RoomRole Role, Guid? ClassroomId)? ResolveRole(CallerIdentity caller, ClassParties parties)
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
        if (CoversAny(caller, AdminRoles, schools))
        {
            return (RoomRole.Admin, null);
        }
        if (CoversAny(caller, [Roles.Researcher], schools))
        {
            return (RoomRole.Observer, null);
        }
        return null;
    }

    /// <summary>True when the caller holds one of <paramref name="roles"/> at one of the schools or above it.</summary>
    public bool CoversAny(CallerIdentity caller, IReadOnlyCollection<string> roles, IEnumerable<Guid> schools)
    {
        var tree = policy.Tree;
        foreach (var school in schools)
        {
            foreach (var grant in caller.Roles)
            {
                if (roles.Contains(grant.Role) && tree.IsAncestorOrSelf(grant.OrganisationId, school))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
