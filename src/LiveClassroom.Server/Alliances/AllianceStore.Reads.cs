using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.ContinuingEducation;
using Npgsql;

namespace LiveClassroom.Server.Alliances;

/// <summary>Reads: alliances with their members, applications, sessions, resources, assessments and the year's figures.</summary>
public sealed partial class AllianceStore
{
    private const string AllianceSql = """
        SELECT a.id, a.organisation_id, a.name, a.subject, a.stage, a.plan, a.status, a.status_reason, a.applied_by, a.applied_at,
               coalesce((SELECT array_agg(m.person_id ORDER BY m.joined_at, m.person_id) FROM alliance_members m WHERE m.alliance_id = a.id), '{}'),
               coalesce((SELECT array_agg(m.role ORDER BY m.joined_at, m.person_id) FROM alliance_members m WHERE m.alliance_id = a.id), '{}')
        FROM alliances a
        """;

    public async Task<AllianceRecord?> FindAsync(Guid id, CancellationToken ct)
    {
        var list = await QueryAsync($"{AllianceSql} WHERE a.id = @id", c => c.Parameters.AddWithValue("id", id), ct);
        return list.Count == 0 ? null : list[0];
    }

    /// <summary>Alliances at any of the organisations, and those the person belongs to, applied for or asked to join.</summary>
    public Task<List<AllianceRecord>> ListAsync(IReadOnlyList<Guid> organisationIds, Guid personId, CancellationToken ct) =>
        QueryAsync($"""
            {AllianceSql}
            WHERE a.organisation_id = ANY(@orgs) OR a.applied_by = @p
               OR EXISTS (SELECT 1 FROM alliance_members m WHERE m.alliance_id = a.id AND m.person_id = @p)
            ORDER BY a.applied_at DESC
            """, c =>
        {
            c.Parameters.AddWithValue("orgs", organisationIds.ToArray());
            c.Parameters.AddWithValue("p", personId);
        }, ct);

    private async Task<List<AllianceRecord>> QueryAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        bind(cmd);
        var list = new List<AllianceRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var people = r.GetFieldValue<Guid[]>(10);
            var roles = r.GetFieldValue<string[]>(11);
            var members = new Dictionary<Guid, string>();
            for (var i = 0; i < people.Length; i++)
            {
                members[people[i]] = roles[i];
            }
            list.Add(new AllianceRecord(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7), r.GetGuid(8), r.GetFieldValue<DateTimeOffset>(9), members));
        }
        return list;
    }

    /// <summary>Names and home organisations (the school, for teachers) of people.</summary>
    public async Task<Dictionary<Guid, (string Name, string? Organisation)>> PeopleAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT p.id, p.display_name, o.name FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id WHERE p.id = ANY(@ids)
            """);
        cmd.Parameters.AddWithValue("ids", ids.Distinct().ToArray());
        var map = new Dictionary<Guid, (string, string?)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            map[r.GetGuid(0)] = (r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2));
        }
        return map;
    }

    /// <summary>Applications of an alliance: all pending ones, or (with <paramref name="personId"/>) that person's of any status.</summary>
    public async Task<List<AllianceApplicationView>> ApplicationsAsync(Guid id, Guid? personId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT a.id, a.alliance_id, a.person_id, p.display_name, o.name, a.note, a.status, a.reason, a.created_at
            FROM alliance_applications a JOIN people p ON p.id = a.person_id LEFT JOIN organisations o ON o.id = p.organisation_id
            WHERE a.alliance_id = @id AND (CASE WHEN @p::uuid IS NULL THEN a.status = 'pending' ELSE a.person_id = @p::uuid END)
            ORDER BY a.created_at
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.Add(new NpgsqlParameter("p", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)personId ?? DBNull.Value });
        var list = new List<AllianceApplicationView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new AllianceApplicationView(r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetFieldValue<DateTimeOffset>(8)));
        }
        return list;
    }

    /// <summary>
    /// The year's figures (school year, +08:00): ended research sessions the alliance held; ended live classes a member
    /// led (the classroom grains' stored state, as continuing education reads it); library resources a member authored
    /// that were published in the year; members present in any ended research session of the year, and their attendances
    /// (one per member and session).
    /// </summary>
    public async Task<AllianceFigures> FiguresAsync(Guid id, IReadOnlyCollection<Guid> members, int year, CancellationToken ct)
    {
        var (from, to) = CeRules.Window(year);
        await using var cmd = dataSource.CreateCommand("""
            SELECT
              (SELECT count(DISTINCT p.organisation_id)::int FROM people p JOIN organisations o ON o.id = p.organisation_id
               WHERE p.id = ANY(@ids) AND o.kind = 'school'),
              (SELECT count(*)::int FROM alliance_sessions l JOIN research_sessions s ON s.id = l.session_id
               WHERE l.alliance_id = @id AND s.status = 'ended' AND s.ended_at >= @from AND s.ended_at < @to),
              (SELECT count(*)::int FROM grain_state g
               WHERE g.kind = 'classroom' AND g.state->>'status' = 'Ended' AND g.state->>'endedAt' IS NOT NULL
                 AND (g.state->>'endedAt')::timestamptz >= @from AND (g.state->>'endedAt')::timestamptz < @to
                 AND g.state->'setup'->'leadTeacher'->>'id' = ANY(@texts)),
              (SELECT count(*)::int FROM resources r
               WHERE r.status = 'published' AND r.author_id = ANY(@ids) AND r.published_at >= @from AND r.published_at < @to),
              (SELECT count(DISTINCT a.person_id)::int FROM research_attendance a JOIN research_sessions s ON s.id = a.session_id
               WHERE s.status = 'ended' AND s.ended_at >= @from AND s.ended_at < @to AND a.person_id = ANY(@ids)),
              (SELECT count(*)::int FROM (SELECT DISTINCT a.person_id, a.session_id FROM research_attendance a JOIN research_sessions s ON s.id = a.session_id
               WHERE s.status = 'ended' AND s.ended_at >= @from AND s.ended_at < @to AND a.person_id = ANY(@ids)) x)
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("ids", members.ToArray());
        cmd.Parameters.AddWithValue("texts", members.Select(m => m.ToString()).ToArray());
        cmd.Parameters.AddWithValue("from", from.ToUniversalTime());
        cmd.Parameters.AddWithValue("to", to.ToUniversalTime());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new AllianceFigures(year, members.Count, r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5));
    }

    /// <summary>The sessions the alliance scheduled, newest first, with their lessons.</summary>
    public async Task<List<AllianceSessionView>> SessionsAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT s.id, s.title, s.status, s.scheduled_start,
                   coalesce((SELECT array_agg(l.id ORDER BY l.created_at, l.id) FROM research_lessons l WHERE l.session_id = s.id), '{}'),
                   coalesce((SELECT array_agg(l.title ORDER BY l.created_at, l.id) FROM research_lessons l WHERE l.session_id = s.id), '{}')
            FROM alliance_sessions a JOIN research_sessions s ON s.id = a.session_id
            WHERE a.alliance_id = @id ORDER BY s.scheduled_start DESC LIMIT 50
            """);
        cmd.Parameters.AddWithValue("id", id);
        var list = new List<AllianceSessionView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var ids = r.GetFieldValue<Guid[]>(4);
            var titles = r.GetFieldValue<string[]>(5);
            list.Add(new AllianceSessionView(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3),
                [.. ids.Select((l, i) => new AllianceLessonRef(l, titles[i]))]));
        }
        return list;
    }

    /// <summary>The newest library resources the members published.</summary>
    public async Task<List<AllianceResourceView>> ResourcesAsync(IReadOnlyCollection<Guid> members, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT r.id, coalesce(r.title, ''), coalesce(r.teacher_name, p.display_name), r.published_at
            FROM resources r LEFT JOIN people p ON p.id = r.author_id
            WHERE r.status = 'published' AND r.author_id = ANY(@ids)
            ORDER BY r.published_at DESC NULLS LAST LIMIT 20
            """);
        cmd.Parameters.AddWithValue("ids", members.ToArray());
        var list = new List<AllianceResourceView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new AllianceResourceView(r.GetGuid(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3)));
        }
        return list;
    }

    public async Task<List<AllianceAssessmentView>> AssessmentsAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT a.id, a.year, a.score, a.comment, a.decision, f.name, t.name, a.figures::text, p.display_name, a.assessed_at
            FROM alliance_assessments a JOIN organisations f ON f.id = a.from_organisation_id LEFT JOIN organisations t ON t.id = a.to_organisation_id
            JOIN people p ON p.id = a.assessed_by
            WHERE a.alliance_id = @id ORDER BY a.year DESC
            """);
        cmd.Parameters.AddWithValue("id", id);
        var list = new List<AllianceAssessmentView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var figures = System.Text.Json.JsonSerializer.Deserialize<AllianceFigures>(r.GetString(7), System.Text.Json.JsonSerializerOptions.Web)!;
            list.Add(new AllianceAssessmentView(r.GetGuid(0), r.GetInt32(1), r.GetInt32(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), figures, r.GetString(8), r.GetFieldValue<DateTimeOffset>(9)));
        }
        return list;
    }
}
