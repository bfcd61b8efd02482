using LiveClassroom.Server.Apis.Contracts;
using Npgsql;

namespace LiveClassroom.Server.Alliances;

/// <summary>
/// Who may take a role in an alliance over some organisations: active teachers (lead or assistant) of their schools, and
/// researchers held there (experts only). Searched by the picker a term at a time; checked by id when people are named.
/// </summary>
public sealed partial class AllianceStore
{
    private const string EligibleSql = """
        SELECT p.id, p.display_name, p.staff_number, p.subject, p.stage,
               min(o.name) FILTER (WHERE o.kind = 'school') AS school,
               bool_or(r.role IN ('lead_teacher', 'assistant_teacher')) AS teacher
        FROM people p
        JOIN person_roles r ON r.person_id = p.id AND r.role IN ('lead_teacher', 'assistant_teacher', 'researcher')
        JOIN organisations o ON o.id = r.organisation_id
        WHERE p.is_active AND p.account_status = 'active' AND r.organisation_id = ANY(@orgs)
        """;

    /// <summary>
    /// The first <paramref name="limit"/> eligible people whose name contains the term or whose staff number starts with
    /// it: an exact name first, then names that start with it, then by name. <c>More</c> when there were more.
    /// </summary>
    public async Task<(List<AllianceCandidate> Items, bool More)> SearchCandidatesAsync(IReadOnlyList<Guid> organisationIds, string term,
        bool teachersOnly, int limit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            WITH c AS (
                {EligibleSql}
                  AND (p.display_name ILIKE '%' || @lit || '%' ESCAPE '\' OR p.staff_number ILIKE @lit || '%' ESCAPE '\')
                GROUP BY p.id)
            SELECT id, display_name, school, subject, stage, teacher,
                   CASE WHEN staff_number ILIKE @lit || '%' ESCAPE '\' THEN staff_number END
            FROM c
            WHERE teacher OR NOT @teachers
            ORDER BY display_name = @term DESC, display_name ILIKE @lit || '%' ESCAPE '\' DESC, display_name, id
            LIMIT @take
            """);
        cmd.Parameters.AddWithValue("orgs", organisationIds.ToArray());
        cmd.Parameters.AddWithValue("lit", CandidateSearch.Literal(term));
        cmd.Parameters.AddWithValue("term", term.Trim());
        cmd.Parameters.AddWithValue("teachers", teachersOnly);
        cmd.Parameters.AddWithValue("take", limit + 1);
        var list = new List<AllianceCandidate>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new AllianceCandidate(r.GetGuid(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.GetBoolean(5) ? "teacher" : "researcher", r.IsDBNull(6) ? null : r.GetString(6)));
        }
        var more = list.Count > limit;
        return (more ? list[..limit] : list, more);
    }

    /// <summary>Of <paramref name="ids"/>, those eligible under the organisations, each with whether they teach there (else a researcher).</summary>
    public async Task<Dictionary<Guid, bool>> EligibleAsync(IReadOnlyList<Guid> organisationIds, IEnumerable<Guid> ids, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            {EligibleSql} AND p.id = ANY(@ids)
            GROUP BY p.id
            """);
        cmd.Parameters.AddWithValue("orgs", organisationIds.ToArray());
        cmd.Parameters.AddWithValue("ids", ids.Distinct().ToArray());
        var map = new Dictionary<Guid, bool>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            map[r.GetGuid(0)] = r.GetBoolean(6);
        }
        return map;
    }
}
