using System.Text.Json;
using LiveClassroom.Grains.Research;
using Npgsql;

namespace LiveClassroom.Server.Research;

/// <summary>Rubric templates, sessions, agendas, invitations, lessons and the live facts of a session.</summary>
public sealed partial class ResearchStore
{
    public async Task<IReadOnlyList<RubricTemplate>> TemplatesAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT id, name, description, scale_min, scale_max, criteria::text FROM research_rubric_templates ORDER BY id");
        var list = new List<RubricTemplate>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new RubricTemplate(r.GetGuid(0), r.GetString(1), r.GetString(2),
                new Rubric(r.GetString(1), r.GetInt32(3), r.GetInt32(4), Criteria(r.GetString(5)))));
        }
        return list;
    }

    public async Task CreateSessionAsync(ResearchSessionRecord s, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await InsertSessionAsync(conn, tx, s, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Writes a session with its agenda and invitations inside the caller's transaction (an alliance links it in the same one).</summary>
    public static async Task InsertSessionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ResearchSessionRecord s, CancellationToken ct)
    {
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO research_sessions (id, organisation_id, title, kind, subject, stage, grade, chapter, scheduled_start,
                host_id, created_by, speaker_turn_seconds, rubric_template_id, rubric_name, rubric_scale_min, rubric_scale_max, rubric_criteria)
            VALUES (@id, @org, @title, @kind, @subject, @stage, @grade, @chapter, @start, @host, @by, @turn, @tpl, @rname, @rmin, @rmax, @crit)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", s.Id);
            cmd.Parameters.AddWithValue("org", s.OrganisationId);
            cmd.Parameters.AddWithValue("title", s.Title);
            cmd.Parameters.AddWithValue("kind", s.Kind);
            cmd.Parameters.AddWithValue("subject", s.Subject);
            cmd.Parameters.AddWithValue("stage", s.Stage);
            cmd.Parameters.AddWithValue("grade", s.Grade);
            cmd.Parameters.AddWithValue("chapter", s.Chapter);
            cmd.Parameters.AddWithValue("start", s.ScheduledStart);
            cmd.Parameters.AddWithValue("host", s.HostId);
            cmd.Parameters.AddWithValue("by", s.CreatedBy);
            cmd.Parameters.AddWithValue("turn", s.SpeakerTurnSeconds);
            cmd.Parameters.AddWithValue("tpl", Nullable(s.RubricTemplateId));
            cmd.Parameters.AddWithValue("rname", s.Rubric.Name);
            cmd.Parameters.AddWithValue("rmin", s.Rubric.ScaleMin);
            cmd.Parameters.AddWithValue("rmax", s.Rubric.ScaleMax);
            cmd.Parameters.Add(JsonParam("crit", s.Rubric.Criteria));
            await cmd.ExecuteNonQueryAsync(ct);
        }
        foreach (var seg in s.Segments)
        {
            await using var cmd = new NpgsqlCommand(
                "INSERT INTO research_segments (session_id, position, kind, title, planned_seconds) VALUES (@s, @p, @k, @t, @d)", conn, tx);
            cmd.Parameters.AddWithValue("s", s.Id);
            cmd.Parameters.AddWithValue("p", seg.Position);
            cmd.Parameters.AddWithValue("k", seg.Kind);
            cmd.Parameters.AddWithValue("t", seg.Title);
            cmd.Parameters.AddWithValue("d", seg.PlannedSeconds);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        foreach (var inv in s.Invitations)
        {
            await using var cmd = new NpgsqlCommand(
                "INSERT INTO research_invitations (session_id, person_id, school_id, role) VALUES (@s, @p, @o, @r)", conn, tx);
            cmd.Parameters.AddWithValue("s", s.Id);
            cmd.Parameters.AddWithValue("p", Nullable(inv.PersonId));
            cmd.Parameters.AddWithValue("o", Nullable(inv.SchoolId));
            cmd.Parameters.AddWithValue("r", inv.Role);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task<ResearchSessionRecord?> SessionAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        ResearchSessionRecord? s;
        await using (var cmd = new NpgsqlCommand("""
            SELECT id, organisation_id, title, kind, subject, stage, grade, chapter, scheduled_start, host_id, created_by, status,
                   speaker_turn_seconds, rubric_template_id, rubric_name, rubric_scale_min, rubric_scale_max, rubric_criteria::text, started_at, ended_at
            FROM research_sessions WHERE id = @id
            """, conn))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return null;
            }
            s = new ResearchSessionRecord(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.GetString(6), r.GetString(7), r.GetFieldValue<DateTimeOffset>(8), r.GetGuid(9), r.GetGuid(10), r.GetString(11), r.GetInt32(12),
                Get<Guid>(r, 13), new Rubric(r.GetString(14), r.GetInt32(15), r.GetInt32(16), Criteria(r.GetString(17))),
                Get<DateTimeOffset>(r, 18), Get<DateTimeOffset>(r, 19), [], []);
        }
        var segments = new List<SegmentRecord>();
        await using (var cmd = new NpgsqlCommand(
            "SELECT position, kind, title, planned_seconds, started_at, ended_at FROM research_segments WHERE session_id = @id ORDER BY position", conn))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                segments.Add(new SegmentRecord(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetInt32(3), Get<DateTimeOffset>(r, 4), Get<DateTimeOffset>(r, 5)));
            }
        }
        var invitations = new List<InvitationRecord>();
        await using (var cmd = new NpgsqlCommand("SELECT person_id, school_id, role FROM research_invitations WHERE session_id = @id", conn))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                invitations.Add(new InvitationRecord(Get<Guid>(r, 0), Get<Guid>(r, 1), r.GetString(2)));
            }
        }
        return s with { Segments = segments, Invitations = invitations };
    }

    /// <summary>
    /// Sessions scheduled in [from, to) of the supervised organisations (and below), hosted by the person, or
    /// inviting the person or one of their schools.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> SessionIdsAsync(
        IReadOnlyList<Guid> supervised, IReadOnlyList<Guid> memberOf, Guid personId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            WITH RECURSIVE down AS (
                SELECT id FROM organisations WHERE id = ANY(@orgs)
                UNION
                SELECT o.id FROM organisations o JOIN down ON o.parent_id = down.id)
            SELECT s.id FROM research_sessions s
            WHERE s.scheduled_start >= @from AND s.scheduled_start < @to
              AND (s.organisation_id IN (SELECT id FROM down) OR s.host_id = @p
                   OR EXISTS (SELECT 1 FROM research_invitations i WHERE i.session_id = s.id
                              AND (i.person_id = @p OR i.school_id = ANY(@member))))
            ORDER BY s.scheduled_start
            """);
        cmd.Parameters.AddWithValue("orgs", supervised.ToArray());
        cmd.Parameters.AddWithValue("member", memberOf.ToArray());
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

    /// <summary>Replaces the rubric while the session is still scheduled; false once it has started.</summary>
    public async Task<bool> UpdateRubricAsync(Guid sessionId, Rubric rubric, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE research_sessions SET rubric_name = @n, rubric_scale_min = @min, rubric_scale_max = @max, rubric_criteria = @c
            WHERE id = @id AND status = 'scheduled'
            """);
        cmd.Parameters.AddWithValue("id", sessionId);
        cmd.Parameters.AddWithValue("n", rubric.Name);
        cmd.Parameters.AddWithValue("min", rubric.ScaleMin);
        cmd.Parameters.AddWithValue("max", rubric.ScaleMax);
        cmd.Parameters.Add(JsonParam("c", rubric.Criteria));
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Cancels a session that has not started; false once it has.</summary>
    public async Task<bool> CancelAsync(Guid sessionId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE research_sessions SET status = 'cancelled' WHERE id = @s AND status = 'scheduled'");
        cmd.Parameters.AddWithValue("s", sessionId);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Replaces the agenda while the session is still scheduled; false once it has started.</summary>
    public async Task<bool> ReplaceAgendaAsync(Guid sessionId, IReadOnlyList<SegmentRecord> segments, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var check = new NpgsqlCommand("SELECT status FROM research_sessions WHERE id = @s FOR UPDATE", conn, tx))
        {
            check.Parameters.AddWithValue("s", sessionId);
            if (await check.ExecuteScalarAsync(ct) as string != "scheduled")
            {
                return false;
            }
        }
        await using (var delete = new NpgsqlCommand("DELETE FROM research_segments WHERE session_id = @s", conn, tx))
        {
            delete.Parameters.AddWithValue("s", sessionId);
            await delete.ExecuteNonQueryAsync(ct);
        }
        foreach (var seg in segments)
        {
            await using var cmd = new NpgsqlCommand(
                "INSERT INTO research_segments (session_id, position, kind, title, planned_seconds) VALUES (@s, @p, @k, @t, @d)", conn, tx);
            cmd.Parameters.AddWithValue("s", sessionId);
            cmd.Parameters.AddWithValue("p", seg.Position);
            cmd.Parameters.AddWithValue("k", seg.Kind);
            cmd.Parameters.AddWithValue("t", seg.Title);
            cmd.Parameters.AddWithValue("d", seg.PlannedSeconds);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Heals the stored status from the grain's (the source of truth) if recording the facts failed; a no-op when
    /// they agree. Only moves forward: scheduled → live → ended.
    /// </summary>
    public async Task EnsureStatusAsync(Guid sessionId, string status, DateTimeOffset at, CancellationToken ct)
    {
        var sql = status switch
        {
            "live" => "UPDATE research_sessions SET status = 'live', started_at = coalesce(started_at, @at) WHERE id = @s AND status = 'scheduled'",
            "ended" => "UPDATE research_sessions SET status = 'ended', started_at = coalesce(started_at, @at), ended_at = coalesce(ended_at, @at) WHERE id = @s AND status IN ('scheduled', 'live')",
            _ => null,
        };
        if (sql is null)
        {
            return;
        }
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.AddWithValue("s", sessionId);
        cmd.Parameters.AddWithValue("at", at);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Writes what the live session produced: status, segment runs, presence intervals, speaking turns.</summary>
    public async Task RecordEventsAsync(Guid sessionId, IReadOnlyList<ResearchEvent> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        foreach (var e in events)
        {
            var sql = e.Type switch
            {
                "session_started" => "UPDATE research_sessions SET status = 'live', started_at = @at WHERE id = @s",
                "session_ended" => "UPDATE research_sessions SET status = 'ended', ended_at = @at WHERE id = @s",
                "segment_started" => "UPDATE research_segments SET started_at = @at, ended_at = NULL WHERE session_id = @s AND position = @i",
                "segment_ended" => "UPDATE research_segments SET ended_at = @at WHERE session_id = @s AND position = @i",
                "joined" => "INSERT INTO research_attendance (session_id, person_id, role, joined_at) VALUES (@s, @p, @r, @at)",
                "left" => """
                    UPDATE research_attendance SET left_at = greatest(@at, joined_at)
                    WHERE id = (SELECT max(id) FROM research_attendance WHERE session_id = @s AND person_id = @p AND left_at IS NULL)
                    """,
                "turn_ended" => """
                    INSERT INTO research_speaking_turns (session_id, person_id, started_at, ended_at, ended_by) VALUES (@s, @p, @from, @at, @by)
                    """,
                _ => null,
            };
            if (sql is null)
            {
                continue;
            }
            await using var cmd = new NpgsqlCommand(sql, conn, tx);
            cmd.Parameters.AddWithValue("s", sessionId);
            cmd.Parameters.AddWithValue("at", e.At);
            cmd.Parameters.AddWithValue("i", e.SegmentIndex ?? -1);
            cmd.Parameters.AddWithValue("p", e.PersonId ?? Guid.Empty);
            cmd.Parameters.AddWithValue("r", e.Role ?? "");
            cmd.Parameters.AddWithValue("from", e.StartedAt ?? e.At);
            cmd.Parameters.AddWithValue("by", e.EndedBy ?? "");
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    private static IReadOnlyList<RubricCriterion> Criteria(string json) =>
        JsonSerializer.Deserialize<List<RubricCriterion>>(json, Json) ?? [];
}
