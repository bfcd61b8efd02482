using Npgsql;

namespace LiveClassroom.Server.Research;

/// <summary>集体备课 lesson plans, their versions and comments.</summary>
public sealed partial class ResearchStore
{
    public async Task CreatePlanAsync(LessonPlanRecord p, string firstBody, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO research_lesson_plans (id, organisation_id, subject, stage, grade, chapter, main_preparer_id, prepare_at, place,
                session_id, recording_id, created_by, created_at)
            VALUES (@id, @org, @subject, @stage, @grade, @chapter, @main, @at, @place, @session, @rec, @by, @created)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", p.Id);
            cmd.Parameters.AddWithValue("org", p.OrganisationId);
            cmd.Parameters.AddWithValue("subject", p.Subject);
            cmd.Parameters.AddWithValue("stage", p.Stage);
            cmd.Parameters.AddWithValue("grade", p.Grade);
            cmd.Parameters.AddWithValue("chapter", p.Chapter);
            cmd.Parameters.AddWithValue("main", p.MainPreparerId);
            cmd.Parameters.AddWithValue("at", Nullable(p.PrepareAt));
            cmd.Parameters.AddWithValue("place", p.Place);
            cmd.Parameters.AddWithValue("session", Nullable(p.SessionId));
            cmd.Parameters.AddWithValue("rec", Nullable(p.RecordingId));
            cmd.Parameters.AddWithValue("by", p.CreatedBy);
            cmd.Parameters.AddWithValue("created", p.CreatedAt);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        foreach (var m in p.MemberIds)
        {
            await using var cmd = new NpgsqlCommand("INSERT INTO research_lesson_plan_members (plan_id, person_id) VALUES (@p, @m) ON CONFLICT DO NOTHING", conn, tx);
            cmd.Parameters.AddWithValue("p", p.Id);
            cmd.Parameters.AddWithValue("m", m);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO research_lesson_plan_versions (plan_id, version, body, summary, author_id, created_at) VALUES (@p, 1, @b, '初稿', @a, @at)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("p", p.Id);
            cmd.Parameters.AddWithValue("b", firstBody);
            cmd.Parameters.AddWithValue("a", p.MainPreparerId == p.CreatedBy ? p.MainPreparerId : p.CreatedBy);
            cmd.Parameters.AddWithValue("at", p.CreatedAt);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    public async Task<LessonPlanRecord?> PlanAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT id, organisation_id, subject, stage, grade, chapter, main_preparer_id, prepare_at, place, session_id, recording_id, created_by, created_at,
                   ARRAY(SELECT person_id FROM research_lesson_plan_members m WHERE m.plan_id = p.id ORDER BY person_id)
            FROM research_lesson_plans p WHERE id = @id
            """);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }
        return new LessonPlanRecord(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetGuid(6),
            Get<DateTimeOffset>(r, 7), r.GetString(8), Get<Guid>(r, 9), Get<Guid>(r, 10), r.GetGuid(11), r.GetFieldValue<DateTimeOffset>(12), r.GetFieldValue<Guid[]>(13));
    }

    public async Task<IReadOnlyList<LessonPlanVersion>> PlanVersionsAsync(Guid planId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT v.version, v.summary, v.author_id, p.display_name, v.created_at
            FROM research_lesson_plan_versions v JOIN people p ON p.id = v.author_id WHERE v.plan_id = @p ORDER BY v.version
            """);
        cmd.Parameters.AddWithValue("p", planId);
        var list = new List<LessonPlanVersion>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new LessonPlanVersion(r.GetInt32(0), null, r.GetString(1), r.GetGuid(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4)));
        }
        return list;
    }

    public async Task<LessonPlanVersion?> PlanVersionAsync(Guid planId, int version, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT v.version, v.body, v.summary, v.author_id, p.display_name, v.created_at
            FROM research_lesson_plan_versions v JOIN people p ON p.id = v.author_id WHERE v.plan_id = @p AND v.version = @v
            """);
        cmd.Parameters.AddWithValue("p", planId);
        cmd.Parameters.AddWithValue("v", version);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new LessonPlanVersion(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetGuid(3), r.GetString(4), r.GetFieldValue<DateTimeOffset>(5))
            : null;
    }

    /// <summary>Saves a new version if <paramref name="baseVersion"/> is still the latest; otherwise returns the latest and saves nothing.</summary>
    public async Task<(bool Saved, int Version)> AddPlanVersionAsync(Guid planId, int baseVersion, string body, string summary, Guid authorId, DateTimeOffset at, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // The plan row lock serialises concurrent revisions so two editors cannot both build on the same base.
        await using (var lockCmd = new NpgsqlCommand("SELECT 1 FROM research_lesson_plans WHERE id = @p FOR UPDATE", conn, tx))
        {
            lockCmd.Parameters.AddWithValue("p", planId);
            await lockCmd.ExecuteScalarAsync(ct);
        }
        int latest;
        await using (var cmd = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM research_lesson_plan_versions WHERE plan_id = @p", conn, tx))
        {
            cmd.Parameters.AddWithValue("p", planId);
            latest = (int)(await cmd.ExecuteScalarAsync(ct))!;
        }
        if (latest != baseVersion)
        {
            return (false, latest);
        }
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO research_lesson_plan_versions (plan_id, version, body, summary, author_id, created_at) VALUES (@p, @v, @b, @s, @a, @at)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("p", planId);
            cmd.Parameters.AddWithValue("v", latest + 1);
            cmd.Parameters.AddWithValue("b", body);
            cmd.Parameters.AddWithValue("s", summary);
            cmd.Parameters.AddWithValue("a", authorId);
            cmd.Parameters.AddWithValue("at", at);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return (true, latest + 1);
    }

    /// <summary>
    /// Stores the comment, or — when its author already stored one under <paramref name="idempotencyKey"/> — stores
    /// nothing and returns that earlier comment with its plan id (a retry of the same action). Null when this one was stored.
    /// </summary>
    public async Task<(Guid PlanId, LessonPlanComment Comment)?> AddPlanCommentAsync(Guid planId, LessonPlanComment c, string? idempotencyKey, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO research_lesson_plan_comments (id, plan_id, version, paragraph, author_id, body, created_at, idempotency_key)
            VALUES (@id, @p, @v, @para, @a, @b, @at, @key)
            ON CONFLICT (author_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            """);
        cmd.Parameters.AddWithValue("id", c.Id);
        cmd.Parameters.AddWithValue("p", planId);
        cmd.Parameters.AddWithValue("v", c.Version);
        cmd.Parameters.AddWithValue("para", Nullable(c.Paragraph));
        cmd.Parameters.AddWithValue("a", c.AuthorId);
        cmd.Parameters.AddWithValue("b", c.Body);
        cmd.Parameters.AddWithValue("at", c.CreatedAt);
        cmd.Parameters.Add(new NpgsqlParameter("key", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)idempotencyKey ?? DBNull.Value });
        if (await cmd.ExecuteNonQueryAsync(ct) == 1)
        {
            return null;
        }
        await using var read = db.CreateCommand("""
            SELECT c.plan_id, c.id, c.version, c.paragraph, c.author_id, p.display_name, c.body, c.created_at
            FROM research_lesson_plan_comments c JOIN people p ON p.id = c.author_id
            WHERE c.author_id = @a AND c.idempotency_key = @key
            """);
        read.Parameters.AddWithValue("a", c.AuthorId);
        read.Parameters.AddWithValue("key", idempotencyKey!);
        await using var r = await read.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (r.GetGuid(0), new LessonPlanComment(r.GetGuid(1), r.GetInt32(2), Get<int>(r, 3), r.GetGuid(4), r.GetString(5), r.GetString(6), r.GetFieldValue<DateTimeOffset>(7)));
    }

    public async Task<IReadOnlyList<LessonPlanComment>> PlanCommentsAsync(Guid planId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT c.id, c.version, c.paragraph, c.author_id, p.display_name, c.body, c.created_at
            FROM research_lesson_plan_comments c JOIN people p ON p.id = c.author_id WHERE c.plan_id = @p ORDER BY c.created_at, c.id
            """);
        cmd.Parameters.AddWithValue("p", planId);
        var list = new List<LessonPlanComment>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new LessonPlanComment(r.GetGuid(0), r.GetInt32(1), Get<int>(r, 2), r.GetGuid(3), r.GetString(4), r.GetString(5), r.GetFieldValue<DateTimeOffset>(6)));
        }
        return list;
    }

    public async Task UpdatePlanLinksAsync(Guid planId, Guid? sessionId, Guid? recordingId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE research_lesson_plans SET session_id = coalesce(@s, session_id), recording_id = coalesce(@r, recording_id) WHERE id = @p
            """);
        cmd.Parameters.AddWithValue("p", planId);
        cmd.Parameters.Add(new NpgsqlParameter("s", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = Nullable(sessionId) });
        cmd.Parameters.Add(new NpgsqlParameter("r", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = Nullable(recordingId) });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
