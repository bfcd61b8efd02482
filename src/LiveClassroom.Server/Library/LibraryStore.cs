using Dapper;
using LiveClassroom.Server.Recording;
using Npgsql;

namespace LiveClassroom.Server.Library;

/// <summary>Resources and their review trail. Every status change names the states it may leave, so races lose cleanly.</summary>
public sealed class LibraryStore(NpgsqlDataSource db)
{
    internal const string Columns = """
        r.id, r.recording_id AS RecordingId, r.school_id AS SchoolId, r.author_id AS AuthorId, r.status, r.title, r.stage, r.grade,
        r.subject, r.textbook_edition AS TextbookEdition, r.chapter, r.teacher_name AS TeacherName, r.school_name AS SchoolName,
        r.duration_seconds AS DurationSeconds, r.last_reason AS LastReason, r.submitted_at AS SubmittedAt,
        r.published_at AS PublishedAt, r.created_at AS CreatedAt, r.updated_at AS UpdatedAt
        """;

    /// <summary>Creates the draft resource of a finalized recording once; a second call only refreshes the duration.</summary>
    public async Task<Guid> EnsureResourceAsync(RecordingRow recording, CourseInfo course, double durationSeconds)
    {
        await using var conn = await db.OpenConnectionAsync();
        var stage = course.Stage is { } s && ResourceStatus.Stages.Contains(s) ? s : null;
        return await conn.ExecuteScalarAsync<Guid>("""
            INSERT INTO resources (id, recording_id, school_id, author_id, title, stage, grade, subject, textbook_edition, chapter,
                                   teacher_name, school_name, duration_seconds)
            VALUES (@id, @recordingId, @schoolId, @authorId,
                    left(coalesce(nullif(@title, ''), nullif(concat_ws(' ', @subject, @chapter), ''), '课堂录像 ' || to_char(@startedAt, 'YYYY-MM-DD HH24:MI')), 200),
                    @stage, @grade, @subject, @edition, @chapter,
                    coalesce(@teacherName, (SELECT display_name FROM people WHERE id = @authorId)),
                    coalesce(@schoolName, (SELECT name FROM organisations WHERE id = @schoolId)),
                    @durationSeconds)
            ON CONFLICT (recording_id) DO UPDATE SET duration_seconds = EXCLUDED.duration_seconds
            RETURNING id
            """, new
        {
            id = Guid.CreateVersion7(),
            recordingId = recording.Id,
            schoolId = recording.SchoolId,
            authorId = recording.TeacherId,
            title = course.Title,
            stage,
            grade = course.Grade,
            subject = course.Subject,
            edition = course.TextbookEdition,
            chapter = course.Chapter,
            teacherName = course.TeacherName,
            schoolName = course.SchoolName,
            startedAt = recording.StartedAt,
            durationSeconds,
        });
    }

    public async Task<ResourceRow?> GetAsync(Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QuerySingleOrDefaultAsync<ResourceRow>($"SELECT {Columns} FROM resources r WHERE r.id = @id", new { id });
    }

    public async Task<ResourceRow?> ByRecordingAsync(Guid recordingId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QuerySingleOrDefaultAsync<ResourceRow>(
            $"SELECT {Columns} FROM resources r WHERE r.recording_id = @recordingId", new { recordingId });
    }

    public async Task<int> CountByRecordingAsync(Guid recordingId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>("SELECT count(*)::int FROM resources WHERE recording_id = @recordingId", new { recordingId });
    }

    /// <summary>Applies an author's edit while the resource is a draft or rejected; false otherwise.</summary>
    public async Task<bool> EditAsync(Guid id, CourseInfo e)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteAsync("""
            UPDATE resources SET
                title = coalesce(@Title, title), stage = coalesce(@Stage, stage), grade = coalesce(@Grade, grade),
                subject = coalesce(@Subject, subject), textbook_edition = coalesce(@TextbookEdition, textbook_edition),
                chapter = coalesce(@Chapter, chapter), teacher_name = coalesce(@TeacherName, teacher_name),
                school_name = coalesce(@SchoolName, school_name), updated_at = now()
            WHERE id = @id AND status IN ('draft', 'rejected')
            """, new { id, e.Title, e.Stage, e.Grade, e.Subject, e.TextbookEdition, e.Chapter, e.TeacherName, e.SchoolName }) == 1;
    }

    /// <summary>Moves a resource from one of <paramref name="from"/> to <paramref name="to"/> and records the decision; false if it was not in <paramref name="from"/>.</summary>
    public async Task<bool> TransitionAsync(Guid id, string[] from, string to, string step, string decision, string? reason, Guid reviewer)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var changed = await conn.ExecuteAsync("""
            UPDATE resources SET status = @to, last_reason = @reason, updated_at = now(),
                submitted_at = CASE WHEN @to = 'pending_school' THEN now() ELSE submitted_at END,
                published_at = CASE WHEN @to = 'published' THEN now() ELSE published_at END
            WHERE id = @id AND status = ANY(@from)
            """, new { id, from, to, reason }, tx);
        if (changed != 1)
        {
            await tx.RollbackAsync();
            return false;
        }
        await conn.ExecuteAsync("""
            INSERT INTO resource_reviews (resource_id, step, decision, reason, reviewer_id) VALUES (@id, @step, @decision, @reason, @reviewer)
            """, new { id, step, decision, reason, reviewer }, tx);
        await tx.CommitAsync();
        return true;
    }

    public async Task<IReadOnlyList<ReviewRow>> ReviewsAsync(Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return [.. await conn.QueryAsync<ReviewRow>("""
            SELECT v.step, v.decision, v.reason, v.reviewer_id AS ReviewerId, p.display_name AS ReviewerName, v.created_at AS CreatedAt
            FROM resource_reviews v JOIN people p ON p.id = v.reviewer_id WHERE v.resource_id = @id ORDER BY v.id
            """, new { id })];
    }

    /// <summary>Published resources matching the filters, newest first. Title matching is ILIKE (pg_trgm-indexed): works for Chinese.</summary>
    public async Task<IReadOnlyList<ResourceRow>> SearchAsync(ResourceSearch s)
    {
        await using var conn = await db.OpenConnectionAsync();
        return [.. await conn.QueryAsync<ResourceRow>($"""
            SELECT {Columns} FROM resources r
            WHERE r.status = 'published'
              AND (@q::text IS NULL OR r.title ILIKE '%' || @q || '%' OR r.chapter ILIKE '%' || @q || '%' OR r.teacher_name ILIKE '%' || @q || '%')
              AND (@stage::text IS NULL OR r.stage = @stage)
              AND (@grade::text IS NULL OR r.grade = @grade)
              AND (@subject::text IS NULL OR r.subject = @subject)
              AND (@edition::text IS NULL OR r.textbook_edition = @edition)
              AND (@chapter::text IS NULL OR r.chapter ILIKE '%' || @chapter || '%')
              AND (@schoolId::uuid IS NULL OR r.school_id = @schoolId)
            ORDER BY r.published_at DESC, r.id
            LIMIT @limit OFFSET @offset
            """, new
        {
            q = EscapeLike(s.Q),
            stage = Blank(s.Stage),
            grade = Blank(s.Grade),
            subject = Blank(s.Subject),
            edition = Blank(s.TextbookEdition),
            chapter = EscapeLike(s.Chapter),
            schoolId = s.SchoolId,
            limit = Math.Clamp(s.Limit, 1, 100),
            offset = Math.Max(0, s.Offset),
        })];
    }

    /// <summary>Every resource of one school, any status (what the school's own people see).</summary>
    public async Task<IReadOnlyList<ResourceRow>> OfSchoolAsync(Guid schoolId, string? status)
    {
        await using var conn = await db.OpenConnectionAsync();
        return [.. await conn.QueryAsync<ResourceRow>($"""
            SELECT {Columns} FROM resources r WHERE r.school_id = @schoolId AND (@status::text IS NULL OR r.status = @status)
            ORDER BY r.created_at DESC LIMIT 200
            """, new { schoolId, status = Blank(status) })];
    }

    /// <summary>
    /// What the caller can review now: school step where they are school admin of the resource's school, county step
    /// where they are county admin (or city/province admin) of an ancestor of that school.
    /// </summary>
    public async Task<IReadOnlyList<ResourceRow>> ReviewQueueAsync(Guid[] schoolAdminOf, Guid[] upperAdminOf)
    {
        await using var conn = await db.OpenConnectionAsync();
        return [.. await conn.QueryAsync<ResourceRow>($"""
            WITH RECURSIVE pending AS (
                SELECT id, school_id FROM resources WHERE status IN ('pending_school', 'pending_county')),
            up AS (
                SELECT p.id AS resource_id, o.id AS org, o.parent_id FROM pending p JOIN organisations o ON o.id = p.school_id
                UNION ALL
                SELECT up.resource_id, o.id, o.parent_id FROM up JOIN organisations o ON o.id = up.parent_id)
            SELECT {Columns} FROM resources r
            WHERE (r.status = 'pending_school' AND r.school_id = ANY(@schoolAdminOf))
               OR (r.status = 'pending_county' AND EXISTS (
                    SELECT 1 FROM up WHERE up.resource_id = r.id AND up.org = ANY(@upperAdminOf) AND up.org <> r.school_id))
            ORDER BY r.submitted_at NULLS LAST, r.id
            """, new { schoolAdminOf, upperAdminOf })];
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static string? EscapeLike(string? s) =>
        Blank(s)?.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
