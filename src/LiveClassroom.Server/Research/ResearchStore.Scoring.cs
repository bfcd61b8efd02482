using Npgsql;

namespace LiveClassroom.Server.Research;

/// <summary>Lessons, score sheets and timestamped comments.</summary>
public sealed partial class ResearchStore
{
    private const string LessonColumns = "id, session_id, title, chapter, teacher_name, teacher_id, recording_id, live_class_id";

    public async Task AddLessonAsync(LessonRecord l, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO research_lessons ({LessonColumns}) VALUES (@id, @s, @title, @chapter, @tname, @tid, @rec, @live)
            """);
        cmd.Parameters.AddWithValue("id", l.Id);
        cmd.Parameters.AddWithValue("s", l.SessionId);
        cmd.Parameters.AddWithValue("title", l.Title);
        cmd.Parameters.AddWithValue("chapter", l.Chapter);
        cmd.Parameters.AddWithValue("tname", l.TeacherName);
        cmd.Parameters.AddWithValue("tid", Nullable(l.TeacherId));
        cmd.Parameters.AddWithValue("rec", Nullable(l.RecordingId));
        cmd.Parameters.AddWithValue("live", Nullable(l.LiveClassId));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<bool> SetLessonRecordingAsync(Guid lessonId, Guid recordingId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE research_lessons SET recording_id = @r WHERE id = @id");
        cmd.Parameters.AddWithValue("id", lessonId);
        cmd.Parameters.AddWithValue("r", recordingId);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<IReadOnlyList<LessonRecord>> LessonsAsync(Guid sessionId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {LessonColumns} FROM research_lessons WHERE session_id = @s ORDER BY created_at, id");
        cmd.Parameters.AddWithValue("s", sessionId);
        var list = new List<LessonRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(ReadLesson(r));
        }
        return list;
    }

    /// <summary>Saves the given criteria of one observer's sheet in one transaction; criteria not named keep their saved scores.</summary>
    public async Task UpsertScoresAsync(Guid lessonId, Guid observerId, IReadOnlyDictionary<string, double> scores, DateTimeOffset at, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        foreach (var (key, score) in scores)
        {
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO research_scores (lesson_id, observer_id, criterion_key, score, updated_at) VALUES (@l, @o, @k, @v, @at)
                ON CONFLICT (lesson_id, observer_id, criterion_key) DO UPDATE SET score = excluded.score, updated_at = excluded.updated_at
                """, conn, tx);
            cmd.Parameters.AddWithValue("l", lessonId);
            cmd.Parameters.AddWithValue("o", observerId);
            cmd.Parameters.AddWithValue("k", key);
            cmd.Parameters.AddWithValue("v", (decimal)score);
            cmd.Parameters.AddWithValue("at", at);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Every saved score of a lesson; <paramref name="observerId"/> narrows it to one sheet.</summary>
    public async Task<IReadOnlyList<ScoreEntry>> ScoresAsync(Guid lessonId, Guid? observerId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT observer_id, criterion_key, score, updated_at FROM research_scores
            WHERE lesson_id = @l AND (@o::uuid IS NULL OR observer_id = @o) ORDER BY observer_id, criterion_key
            """);
        cmd.Parameters.AddWithValue("l", lessonId);
        cmd.Parameters.Add(new NpgsqlParameter("o", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = Nullable(observerId) });
        var list = new List<ScoreEntry>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new ScoreEntry(r.GetGuid(0), r.GetString(1), (double)r.GetDecimal(2), r.GetFieldValue<DateTimeOffset>(3)));
        }
        return list;
    }

    /// <summary>
    /// Stores the comment, or — when its author already stored one under <paramref name="idempotencyKey"/> — stores
    /// nothing and returns that earlier comment (a retry of the same action). Null when this comment was stored.
    /// </summary>
    public async Task<CommentRecord?> AddCommentAsync(CommentRecord c, string? idempotencyKey, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO research_comments (id, lesson_id, author_id, offset_seconds, criterion_key, body, created_at, idempotency_key)
            VALUES (@id, @l, @a, @t, @k, @b, @at, @key)
            ON CONFLICT (author_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            """);
        cmd.Parameters.AddWithValue("id", c.Id);
        cmd.Parameters.AddWithValue("l", c.LessonId);
        cmd.Parameters.AddWithValue("a", c.AuthorId);
        cmd.Parameters.AddWithValue("t", c.OffsetSeconds);
        cmd.Parameters.AddWithValue("k", (object?)c.CriterionKey ?? DBNull.Value);
        cmd.Parameters.AddWithValue("b", c.Body);
        cmd.Parameters.AddWithValue("at", c.CreatedAt);
        cmd.Parameters.Add(new NpgsqlParameter("key", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)idempotencyKey ?? DBNull.Value });
        if (await cmd.ExecuteNonQueryAsync(ct) == 1)
        {
            return null;
        }
        // A concurrent first attempt has committed by now: ON CONFLICT waited for it.
        await using var read = db.CreateCommand("""
            SELECT c.id, c.lesson_id, c.author_id, p.display_name, c.offset_seconds, c.criterion_key, c.body, c.created_at
            FROM research_comments c JOIN people p ON p.id = c.author_id
            WHERE c.author_id = @a AND c.idempotency_key = @key
            """);
        read.Parameters.AddWithValue("a", c.AuthorId);
        read.Parameters.AddWithValue("key", idempotencyKey!);
        await using var r = await read.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new CommentRecord(r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.GetInt32(4),
            r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.GetFieldValue<DateTimeOffset>(7));
    }

    /// <summary>A lesson's comments in lesson-time order (ties by when they were written).</summary>
    public async Task<IReadOnlyList<CommentRecord>> CommentsAsync(Guid lessonId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT c.id, c.lesson_id, c.author_id, p.display_name, c.offset_seconds, c.criterion_key, c.body, c.created_at
            FROM research_comments c JOIN people p ON p.id = c.author_id
            WHERE c.lesson_id = @l ORDER BY c.offset_seconds, c.created_at, c.id
            """);
        cmd.Parameters.AddWithValue("l", lessonId);
        var list = new List<CommentRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new CommentRecord(r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.GetInt32(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.GetFieldValue<DateTimeOffset>(7)));
        }
        return list;
    }

    private static LessonRecord ReadLesson(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), Get<Guid>(r, 5), Get<Guid>(r, 6), Get<Guid>(r, 7));
}
