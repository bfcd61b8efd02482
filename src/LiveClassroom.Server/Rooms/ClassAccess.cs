using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Pairing;
using Npgsql;

namespace LiveClassroom.Server.Rooms;

/// <summary>
/// Decides who a caller is in a live class or a pairing: reads the parties from the grain (as the server) and the
/// schools of the classrooms from the organisation tables, then applies the role matrix (<see cref="ClassRoleResolver"/>).
/// Grain exceptions (not found, owned by another node, unavailable) propagate to the hub/API error mapping.
/// </summary>
public sealed class ClassAccess(IGrainFactory grains, NpgsqlDataSource dataSource, ClassRoleResolver resolver)
{
    // A class admits no System caller to its snapshot; the server reads who belongs to it as a watching admin.
    private static readonly RoomCaller MembershipLookup = new("server", "server", RoomRole.Admin);

    /// <summary>The caller's identity in the class, or null when refused.</summary>
    /// <exception cref="RoomRuleException">NotFound: no class with that id was ever set up (no grain is activated for it).</exception>
    public async Task<RoomCaller?> ResolveClassAsync(CallerIdentity caller, string classId, CancellationToken ct = default)
    {
        if (!await ExistsAsync(GrainKinds.Classroom, classId, ct))
        {
            // A made-up id must cost nothing: no activation, no row (issue #11).
            throw new RoomRuleException(RoomErrorCode.NotFound, "No such class.");
        }
        var snapshot = await grains.GetGrain<IClassroomGrain>(classId).GetSnapshotAsync(MembershipLookup);
        var parties = await PartiesAsync(snapshot.LeadTeacherId, snapshot.LeadClassroomId,
            snapshot.Classrooms.Where(c => !c.IsLead).Select(c => c.ClassroomId), ct);
        return parties is null ? null : resolver.Resolve(caller, parties);
    }

    /// <summary>
    /// What of a class's network an admin may see: null when the caller is not an admin of the class; an empty set for
    /// the whole class (an admin whose organisation covers the lead school: its school, county, city or province);
    /// else the classrooms of the paired rural schools the caller administers — a rural school's admin sees its own
    /// classrooms' links, not the other schools'.
    /// </summary>
    /// <exception cref="RoomRuleException">NotFound: no class with that id was ever set up.</exception>
    public async Task<IReadOnlySet<string>?> NetworkScopeAsync(CallerIdentity caller, string classId, CancellationToken ct = default)
    {
        if (!await ExistsAsync(GrainKinds.Classroom, classId, ct))
        {
            throw new RoomRuleException(RoomErrorCode.NotFound, "No such class.");
        }
        var snapshot = await grains.GetGrain<IClassroomGrain>(classId).GetSnapshotAsync(MembershipLookup);
        var parties = await PartiesAsync(snapshot.LeadTeacherId, snapshot.LeadClassroomId,
            snapshot.Classrooms.Where(c => !c.IsLead).Select(c => c.ClassroomId), ct);
        if (parties is null || resolver.Resolve(caller, parties)?.Role is not RoomRole.Admin)
        {
            return null;
        }
        if (resolver.CoversAny(caller, ClassRoleResolver.AdminRoles, [parties.LeadSchoolId]))
        {
            return new HashSet<string>();
        }
        return parties.RuralClassrooms
            .Where(c => resolver.CoversAny(caller, ClassRoleResolver.AdminRoles, [c.SchoolId]))
            .Select(c => c.ClassroomId.ToString())
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The caller's identity in the pairing (null when refused) and the pairing's definition (null when undefined).</summary>
    public async Task<(RoomCaller? Caller, PairingSnapshot Snapshot)> ResolvePairingAsync(CallerIdentity caller, string pairingId, CancellationToken ct = default)
    {
        var snapshot = await grains.GetGrain<IRemoteClassPairingGrain>(pairingId).GetSnapshotAsync(RoomCaller.System);
        if (snapshot.Definition is not { } d)
        {
            return (null, snapshot);
        }
        var parties = await PartiesAsync(d.LeadTeacher.Id, d.LeadClassroom.Id, d.RuralClassrooms.Select(c => c.Id), ct);
        return (parties is null ? null : resolver.ResolvePairing(caller, parties), snapshot);
    }

    /// <summary>Whether a room of <paramref name="kind"/> with that id has stored state (was created), read from the database only.</summary>
    public async Task<bool> ExistsAsync(string kind, string id, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 200)
        {
            return false;
        }
        await using var cmd = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM grain_state WHERE kind = @kind AND id = @id AND state IS NOT NULL)");
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>The lead and paired classrooms with their schools; null if the lead classroom is unknown.</summary>
    public async Task<ClassParties?> PartiesAsync(string? leadTeacherId, string leadClassroomId, IEnumerable<string> ruralClassroomIds, CancellationToken ct = default)
    {
        if (!Guid.TryParse(leadClassroomId, out var leadClassroom))
        {
            return null;
        }
        var ruralIds = ruralClassroomIds.Select(c => Guid.TryParse(c, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();
        var schools = await SchoolsOfAsync(ruralIds.Append(leadClassroom), ct);
        if (!schools.TryGetValue(leadClassroom, out var leadSchool))
        {
            return null;
        }
        var rural = ruralIds.Where(schools.ContainsKey).Select(id => new PairedClassroom(id, schools[id])).ToList();
        Guid? leadTeacher = Guid.TryParse(leadTeacherId, out var t) ? t : null;
        return new ClassParties(leadTeacher, leadSchool, leadClassroom, rural);
    }

    /// <summary>classroom id → school id for the known ones among <paramref name="classroomIds"/>.</summary>
    public async Task<Dictionary<Guid, Guid>> SchoolsOfAsync(IEnumerable<Guid> classroomIds, CancellationToken ct = default)
    {
        var schools = new Dictionary<Guid, Guid>();
        await using var cmd = dataSource.CreateCommand("SELECT id, school_id FROM classrooms WHERE id = ANY(@ids)");
        cmd.Parameters.AddWithValue("ids", classroomIds.Distinct().ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            schools[reader.GetGuid(0)] = reader.GetGuid(1);
        }
        return schools;
    }
}
