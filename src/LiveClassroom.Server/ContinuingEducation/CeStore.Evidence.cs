using Npgsql;

namespace LiveClassroom.Server.ContinuingEducation;

/// <summary>
/// Verified evidence with a fixed query each. Live classes are read from the classroom grains' stored state
/// (<c>grain_state</c>, kind <c>classroom</c>): the grain keeps minutes present per classroom, so the lead teacher is
/// credited the lead classroom's minutes and an assistant teacher who joined for a rural classroom that classroom's
/// minutes, once the class has ended. Research sessions are credited through <see cref="Research.ParticipationService"/>.
/// </summary>
public sealed partial class CeStore
{
    private const string LiveSql = """
        WITH ended AS (
            SELECT g.id, g.state, (g.state->>'endedAt')::timestamptz AS ended_at
            FROM grain_state g
            WHERE g.kind = 'classroom' AND g.state->>'status' = 'Ended' AND g.state->>'endedAt' IS NOT NULL)
        SELECT 'live_taught', e.id, e.state->'setup'->'leadTeacher'->>'id', e.ended_at, sum((c->>'minutesBefore')::float8)
        FROM ended e, jsonb_array_elements(e.state->'classrooms') c
        WHERE (c->>'isLead')::boolean AND e.ended_at >= @from AND e.ended_at < @to
          AND e.state->'setup'->'leadTeacher'->>'id' = ANY(@people)
        GROUP BY e.id, e.ended_at, e.state->'setup'->'leadTeacher'->>'id'
        UNION ALL
        SELECT 'live_assisted', e.id, p->>'principalId', e.ended_at, max((c->>'minutesBefore')::float8)
        FROM ended e, jsonb_array_elements(e.state->'participants') p, jsonb_array_elements(e.state->'classrooms') c
        WHERE p->>'kind' = 'Person' AND p->>'role' = 'Classroom' AND c->>'id' = p->>'classroomId'
          AND e.ended_at >= @from AND e.ended_at < @to AND p->>'principalId' = ANY(@people)
        GROUP BY e.id, p->>'principalId', e.ended_at
        """;

    private const string DocumentsSql = """
        SELECT 'lesson_plan', v.plan_id::text, v.author_id, min(v.created_at), 0::float8
        FROM research_lesson_plan_versions v JOIN research_lesson_plans pl ON pl.id = v.plan_id
        WHERE v.author_id = ANY(@ids)
          AND (pl.main_preparer_id = v.author_id
               OR EXISTS (SELECT 1 FROM research_lesson_plan_members m WHERE m.plan_id = v.plan_id AND m.person_id = v.author_id))
        GROUP BY v.plan_id, v.author_id
        HAVING min(v.created_at) >= @from AND min(v.created_at) < @to
        UNION ALL
        SELECT 'observation', s.lesson_id::text, s.observer_id, rs.ended_at, 0::float8
        FROM research_scores s JOIN research_lessons l ON l.id = s.lesson_id JOIN research_sessions rs ON rs.id = l.session_id
        WHERE rs.status = 'ended' AND rs.ended_at >= @from AND rs.ended_at < @to AND s.observer_id = ANY(@ids)
        GROUP BY s.lesson_id, s.observer_id, rs.ended_at, rs.rubric_criteria
        HAVING count(DISTINCT s.criterion_key) >= jsonb_array_length(rs.rubric_criteria)
        UNION ALL
        SELECT 'library', v.resource_id::text, v.person_id, min(v.started_at), max(r.duration_seconds) / 60.0
        FROM resource_views v JOIN resources r ON r.id = v.resource_id
        WHERE v.person_id = ANY(@ids) AND v.completion >= @completion AND r.duration_seconds > 0
        GROUP BY v.resource_id, v.person_id
        HAVING min(v.started_at) >= @from AND min(v.started_at) < @to
        """;

    /// <summary>Evidence from live classes, lesson plans, observation reports and library lessons (research sessions apart).</summary>
    public async Task<List<CeEvidence>> EvidenceAsync(IReadOnlyList<Guid> personIds, int year, CancellationToken ct)
    {
        var (from, to) = CeRules.Window(year);
        var list = new List<CeEvidence>();
        await using (var cmd = dataSource.CreateCommand(LiveSql))
        {
            cmd.Parameters.AddWithValue("people", personIds.Select(p => p.ToString()).ToArray());
            cmd.Parameters.AddWithValue("from", from.ToUniversalTime());
            cmd.Parameters.AddWithValue("to", to.ToUniversalTime());
            await ReadAsync(cmd, list, ct);
        }
        await using (var cmd = dataSource.CreateCommand(DocumentsSql))
        {
            cmd.Parameters.AddWithValue("ids", personIds.ToArray());
            cmd.Parameters.AddWithValue("from", from.ToUniversalTime());
            cmd.Parameters.AddWithValue("to", to.ToUniversalTime());
            cmd.Parameters.AddWithValue("completion", CeRules.LibraryCompletion);
            await ReadAsync(cmd, list, ct);
        }
        return list;
    }

    /// <summary>Ended research sessions of the year attended by any of the people.</summary>
    public async Task<List<Guid>> ResearchSessionsAsync(IReadOnlyList<Guid> personIds, int year, CancellationToken ct)
    {
        var (from, to) = CeRules.Window(year);
        await using var cmd = dataSource.CreateCommand("""
            SELECT s.id FROM research_sessions s
            WHERE s.status = 'ended' AND s.ended_at >= @from AND s.ended_at < @to
              AND EXISTS (SELECT 1 FROM research_attendance a WHERE a.session_id = s.id AND a.person_id = ANY(@ids))
            ORDER BY s.ended_at
            """);
        cmd.Parameters.AddWithValue("ids", personIds.ToArray());
        cmd.Parameters.AddWithValue("from", from.ToUniversalTime());
        cmd.Parameters.AddWithValue("to", to.ToUniversalTime());
        var list = new List<Guid>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(r.GetGuid(0));
        }
        return list;
    }

    private static async Task ReadAsync(NpgsqlCommand cmd, List<CeEvidence> list, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var kind = r.GetString(0);
            // Grain state is JSON: a principal id that is not a person's uuid is never credited.
            Guid person;
            if (r.GetFieldType(2) == typeof(Guid))
            {
                person = r.GetGuid(2);
            }
            else if (!Guid.TryParse(r.GetString(2), out person))
            {
                continue;
            }
            var minutes = kind switch
            {
                "lesson_plan" => CeRules.LessonPlanMinutes,
                "observation" => CeRules.ObservationMinutes,
                _ => (int)Math.Floor(r.GetDouble(4)),
            };
            if (minutes < 1)
            {
                continue;
            }
            list.Add(new CeEvidence(person, kind, r.GetString(1), CeRules.SchoolDate(r.GetFieldValue<DateTimeOffset>(3)), Math.Min(minutes, 6000)));
        }
    }
}
