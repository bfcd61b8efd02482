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
                   coalesce(array_agg(rc.school_id ORDER BY pc.position) FILTER (WHERE rc.id IS NOT NULL), '{}'),
                   ls.name,
                   coalesce(array_agg(rs.name ORDER BY pc.position) FILTER (WHERE rc.id IS NOT NULL), '{}')
            FROM pairings p
            JOIN classrooms lc ON lc.id::text = p.lead_classroom_id
            JOIN organisations ls ON ls.id = lc.school_id
            LEFT JOIN pairing_classrooms pc ON pc.pairing_id = p.id
            LEFT JOIN classrooms rc ON rc.id::text = pc.classroom_id
            LEFT JOIN organisations rs ON rs.id = rc.school_id
            GROUP BY p.id, lc.school_id, ls.name
            ORDER BY p.name, p.id
            """;
        await using var cmd = dataSource.CreateCommand(Sql);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var result = new List<ListedPairing>();
        while (await r.ReadAsync(ct))
        {
            var ruralIds = r.GetFieldValue<string[]>(13);
            var ruralNames = r.GetFieldValue<string[]>(14);
            var ruralSchools = r.GetFieldValue<string[]>(17);
            var listing = new PairingListing(
                r.GetString(0), r.GetString(1),
                new ClassroomRef(r.GetString(2), r.GetString(3), r.GetString(16)),
                new PersonRef(r.GetString(5), r.GetString(6)),
                [.. ruralIds.Select((id, i) => new ClassroomRef(id, ruralNames[i], ruralSchools[i]))],
                r.GetString(7), r.GetString(8), r.GetString(9),
                r.IsDBNull(10) ? null : r.GetString(10),
                r.IsDBNull(11) ? null : r.GetFieldValue<DateOnly>(11),
                r.IsDBNull(12) ? null : r.GetFieldValue<DateOnly>(12));
            result.Add(new ListedPairing(listing, r.GetGuid(4), r.GetFieldValue<Guid[]>(15)));
        }
        return result;
    }

    /// <summary>Classrooms by id: name, school and the school's name; unknown ids are absent.</summary>
    public async Task<Dictionary<Guid, (string Name, Guid SchoolId, string SchoolName)>> ClassroomsAsync(IEnumerable<Guid> ids, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT c.id, c.name, c.school_id, o.name FROM classrooms c JOIN organisations o ON o.id = c.school_id WHERE c.id = ANY(@ids)");
        cmd.Parameters.AddWithValue("ids", ids.Distinct().ToArray());
        var result = new Dictionary<Guid, (string, Guid, string)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            result[r.GetGuid(0)] = (r.GetString(1), r.GetGuid(2), r.GetString(3));
        }
        return result;
    }

    /// <summary>
    /// The name of another pairing of the same lead classroom and subject whose term overlaps <paramref name="from"/>..<paramref name="to"/>,
    /// or null. A pairing without a term yet counts as overlapping only when <paramref name="untermedOverlaps"/> (on creation,
    /// where the new pairing has no term either).
    /// </summary>
    public async Task<string?> OverlappingPairingAsync(
        string leadClassroomId, string subject, DateOnly from, DateOnly to, bool untermedOverlaps, string? exceptPairingId, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT name FROM pairings
            WHERE lead_classroom_id = @lead AND lower(btrim(subject)) = lower(btrim(@subject)) AND id <> @except
              AND CASE WHEN term_start IS NULL OR term_end IS NULL THEN @untermed ELSE term_start <= @to AND term_end >= @from END
            ORDER BY name LIMIT 1
            """);
        cmd.Parameters.AddWithValue("lead", leadClassroomId);
        cmd.Parameters.AddWithValue("subject", subject);
        cmd.Parameters.AddWithValue("except", exceptPairingId ?? "");
        cmd.Parameters.AddWithValue("untermed", untermedOverlaps);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        return await cmd.ExecuteScalarAsync(ct) as string;
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
