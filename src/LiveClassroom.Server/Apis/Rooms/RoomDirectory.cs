using LiveClassroom.Grains.Pairing;
using Npgsql;

namespace LiveClassroom.Server.Apis.Rooms;

/// <summary>
/// Relational reads the room APIs need: the pairing listing kept by the pairing grain (<c>pairings</c>,
/// <c>pairing_classrooms</c>), classroom and people names, and which school each classroom is in.
/// </summary>
public sealed class RoomDirectory(NpgsqlDataSource dataSource)
{
    /// <summary>A listed pairing with the schools its classrooms sit in (for scope checks).</summary>
    public sealed record ListedPairing(PairingListing Listing, Guid LeadSchoolId, IReadOnlyList<Guid> RuralSchoolIds);

    public async Task<IReadOnlyList<ListedPairing>> PairingsAsync(CancellationToken ct = default)
    {
        // Ids are text in the listing (as the grains use them); classrooms whose row is gone drop out of scope checks.
        const string Sql = """
            SELECT p.id, p.name, p.lead_classroom_id, p.lead_classroom_name, lc.school_id, p.lead_teacher_id, p.lead_teacher_name,
                   p.subject, p.grade, p.textbook_edition, p.term_name, p.term_start, p.term_end,
                   coalesce(array_agg(pc.classroom_id ORDER BY pc.position) FILTER (WHERE rc.id IS NOT NULL), '{}'),
                   coalesce(array_agg(pc.classroom_name ORDER BY pc.position) FILTER (WHERE rc.id IS NOT NULL), '{}'),
                   coalesce(array_agg(rc.school_id ORDER BY pc.position) FILTER (WHERE rc.id IS NOT NULL), '{}')
            FROM pairings p
            JOIN classrooms lc ON lc.id::text = p.lead_classroom_id
            LEFT JOIN pairing_classrooms pc ON pc.pairing_id = p.id
            LEFT JOIN classrooms rc ON rc.id::text = pc.classroom_id
            GROUP BY p.id, lc.school_id
            ORDER BY p.name, p.id
            """;
        await using var cmd = dataSource.CreateCommand(Sql);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var result = new List<ListedPairing>();
        while (await r.ReadAsync(ct))
        {
            var ruralIds = r.GetFieldValue<string[]>(13);
            var ruralNames = r.GetFieldValue<string[]>(14);
            var listing = new PairingListing(
                r.GetString(0), r.GetString(1),
                new ClassroomRef(r.GetString(2), r.GetString(3)),
                new PersonRef(r.GetString(5), r.GetString(6)),
                [.. ruralIds.Select((id, i) => new ClassroomRef(id, ruralNames[i]))],
                r.GetString(7), r.GetString(8), r.GetString(9),
                r.IsDBNull(10) ? null : r.GetString(10),
                r.IsDBNull(11) ? null : r.GetFieldValue<DateOnly>(11),
                r.IsDBNull(12) ? null : r.GetFieldValue<DateOnly>(12));
            result.Add(new ListedPairing(listing, r.GetGuid(4), r.GetFieldValue<Guid[]>(15)));
        }
        return result;
    }

    /// <summary>Classrooms by id: name and school; unknown ids are absent.</summary>
    public async Task<Dictionary<Guid, (string Name, Guid SchoolId)>> ClassroomsAsync(IEnumerable<Guid> ids, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT id, name, school_id FROM classrooms WHERE id = ANY(@ids)");
        cmd.Parameters.AddWithValue("ids", ids.Distinct().ToArray());
        var result = new Dictionary<Guid, (string, Guid)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            result[r.GetGuid(0)] = (r.GetString(1), r.GetGuid(2));
        }
        return result;
    }

    /// <summary>The display name of an active person holding <paramref name="role"/> at <paramref name="organisationId"/>, or null.</summary>
    public async Task<string?> PersonWithRoleAsync(Guid personId, string role, Guid organisationId, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT p.display_name FROM people p JOIN person_roles r ON r.person_id = p.id
            WHERE p.id = @id AND p.is_active AND r.role = @role AND r.organisation_id = @org
            """);
        cmd.Parameters.AddWithValue("id", personId);
        cmd.Parameters.AddWithValue("role", role);
        cmd.Parameters.AddWithValue("org", organisationId);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }
}
