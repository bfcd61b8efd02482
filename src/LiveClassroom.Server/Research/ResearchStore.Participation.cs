namespace LiveClassroom.Server.Research;

/// <summary>The raw participation record of a session.</summary>
public sealed partial class ResearchStore
{
    public async Task<IReadOnlyList<AttendanceInterval>> AttendanceAsync(Guid sessionId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "SELECT person_id, role, joined_at, left_at FROM research_attendance WHERE session_id = @s ORDER BY joined_at, id");
        cmd.Parameters.AddWithValue("s", sessionId);
        var list = new List<AttendanceInterval>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new AttendanceInterval(r.GetGuid(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), Get<DateTimeOffset>(r, 3)));
        }
        return list;
    }

    public async Task<IReadOnlyList<SpeakingTurn>> TurnsAsync(Guid sessionId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "SELECT person_id, started_at, ended_at, ended_by FROM research_speaking_turns WHERE session_id = @s ORDER BY started_at, id");
        cmd.Parameters.AddWithValue("s", sessionId);
        var list = new List<SpeakingTurn>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new SpeakingTurn(r.GetGuid(0), r.GetFieldValue<DateTimeOffset>(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3)));
        }
        return list;
    }

    /// <summary>Per person: lessons with at least one saved score, and comments written, in this session.</summary>
    public async Task<Dictionary<Guid, (int LessonsScored, int Comments)>> ContributionsAsync(Guid sessionId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT person_id, sum(lessons)::int, sum(comments)::int FROM (
                SELECT s.observer_id AS person_id, count(DISTINCT s.lesson_id) AS lessons, 0 AS comments
                FROM research_scores s JOIN research_lessons l ON l.id = s.lesson_id WHERE l.session_id = @s GROUP BY s.observer_id
                UNION ALL
                SELECT c.author_id, 0, count(*) FROM research_comments c JOIN research_lessons l ON l.id = c.lesson_id
                WHERE l.session_id = @s GROUP BY c.author_id) x
            GROUP BY person_id
            """);
        cmd.Parameters.AddWithValue("s", sessionId);
        var map = new Dictionary<Guid, (int, int)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            map[r.GetGuid(0)] = (r.GetInt32(1), r.GetInt32(2));
        }
        return map;
    }

    /// <summary>Sessions scheduled in [from, to) in which the person was ever present.</summary>
    public async Task<IReadOnlyList<Guid>> SessionsAttendedAsync(Guid personId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT s.id FROM research_sessions s
            WHERE s.scheduled_start >= @from AND s.scheduled_start < @to
              AND EXISTS (SELECT 1 FROM research_attendance a WHERE a.session_id = s.id AND a.person_id = @p)
            ORDER BY s.scheduled_start
            """);
        cmd.Parameters.AddWithValue("p", personId);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        var list = new List<Guid>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(r.GetGuid(0));
        }
        return list;
    }
}
