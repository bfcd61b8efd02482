using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using Npgsql;

namespace LiveClassroom.Server.Rooms;

/// <summary>
/// Decides who a caller is in a live class: reads the class's parties from its grain (as the server) and the
/// schools of its classrooms from the organisation tables, then applies the role matrix.
/// </summary>
public sealed class ClassAccess(IGrainFactory grains, NpgsqlDataSource dataSource, ClassRoleResolver resolver)
{
    /// <summary>The caller's grain identity in the class, or null when refused. Grain exceptions (not found, moved) propagate.</summary>
    public async Task<RoomCaller?> ResolveAsync(CallerIdentity caller, string classId, CancellationToken ct = default)
    {
        var snapshot = await grains.GetGrain<IClassroomGrain>(classId).GetSnapshotAsync(RoomCaller.System);
        var parties = await PartiesAsync(snapshot, ct);
        return parties is null ? null : await resolver.ResolveAsync(caller, parties, ct);
    }

    /// <summary>The class's lead and paired classrooms with their schools; null if the class names unknown classrooms.</summary>
    public async Task<ClassParties?> PartiesAsync(ClassSnapshot snapshot, CancellationToken ct = default)
    {
        if (!Guid.TryParse(snapshot.LeadClassroomId, out var leadClassroom))
        {
            return null;
        }
        var ids = snapshot.Classrooms.Select(c => Guid.TryParse(c.ClassroomId, out var g) ? g : Guid.Empty)
            .Append(leadClassroom).Distinct().ToArray();
        var schools = new Dictionary<Guid, Guid>();
        await using (var cmd = dataSource.CreateCommand("SELECT id, school_id FROM classrooms WHERE id = ANY(@ids)"))
        {
            cmd.Parameters.AddWithValue("ids", ids);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                schools[reader.GetGuid(0)] = reader.GetGuid(1);
            }
        }
        if (!schools.TryGetValue(leadClassroom, out var leadSchool))
        {
            return null;
        }
        var rural = new List<PairedClassroom>();
        foreach (var c in snapshot.Classrooms)
        {
            if (!c.IsLead && Guid.TryParse(c.ClassroomId, out var id) && schools.TryGetValue(id, out var school))
            {
                rural.Add(new PairedClassroom(id, school));
            }
        }
        Guid? leadTeacher = Guid.TryParse(snapshot.LeadTeacherId, out var t) ? t : null;
        return new ClassParties(leadTeacher, leadSchool, leadClassroom, rural);
    }
}
