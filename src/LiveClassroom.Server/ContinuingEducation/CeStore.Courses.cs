using LiveClassroom.Server.Apis.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace LiveClassroom.Server.ContinuingEducation;

/// <summary>Courses and the teachers' elective choices.</summary>
public sealed partial class CeStore
{
    private const string CourseSql = """
        SELECT c.id, c.organisation_id, o.name, c.year, c.kind, c.title, c.topic, c.stage, c.subject, c.hours,
               EXISTS (SELECT 1 FROM ce_enrolments e WHERE e.course_id = c.id AND e.person_id = @me)
        FROM ce_courses c JOIN organisations o ON o.id = c.organisation_id
        """;

    /// <summary>
    /// The courses of a teacher's year: required courses pushed by any organisation on the path from the school to the
    /// root whose 学段 and 学科 match (null matches all), and the electives of the teacher's own school.
    /// </summary>
    public Task<List<CeCourseView>> CoursesForAsync(Guid personId, IReadOnlyList<Guid> path, Guid schoolId, string? stage, string? subject, int year,
        CancellationToken ct) =>
        CoursesAsync($"""
            {CourseSql}
            WHERE c.year = @y AND ((c.kind = 'required' AND c.organisation_id = ANY(@path)
                                    AND (c.stage IS NULL OR c.stage = @stage) AND (c.subject IS NULL OR c.subject = @subject))
                                   OR (c.kind = 'elective' AND c.organisation_id = @school))
            ORDER BY c.kind DESC, c.topic NULLS FIRST, c.title
            """, cmd =>
        {
            cmd.Parameters.AddWithValue("me", personId);
            cmd.Parameters.AddWithValue("y", year);
            cmd.Parameters.AddWithValue("path", path.ToArray());
            cmd.Parameters.AddWithValue("school", schoolId);
            cmd.Parameters.Add(new NpgsqlParameter("stage", NpgsqlDbType.Text) { Value = (object?)stage ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("subject", NpgsqlDbType.Text) { Value = (object?)subject ?? DBNull.Value });
        }, ct);

    /// <summary>The courses an organisation offers in a year.</summary>
    public Task<List<CeCourseView>> CoursesOfAsync(Guid organisationId, int year, CancellationToken ct) =>
        CoursesAsync($"{CourseSql} WHERE c.organisation_id = @o AND c.year = @y ORDER BY c.kind DESC, c.topic NULLS FIRST, c.title", cmd =>
        {
            cmd.Parameters.AddWithValue("me", Guid.Empty);
            cmd.Parameters.AddWithValue("o", organisationId);
            cmd.Parameters.AddWithValue("y", year);
        }, ct);

    public async Task<CeCourseView?> CourseAsync(Guid id, CancellationToken ct)
    {
        var list = await CoursesAsync($"{CourseSql} WHERE c.id = @id", cmd =>
        {
            cmd.Parameters.AddWithValue("me", Guid.Empty);
            cmd.Parameters.AddWithValue("id", id);
        }, ct);
        return list.Count == 0 ? null : list[0];
    }

    public async Task InsertCourseAsync(CeCourseView c, Guid actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO ce_courses (id, organisation_id, year, kind, title, topic, stage, subject, hours, created_by, created_at)
            VALUES (@id, @o, @y, @k, @t, @topic, @stage, @subject, @h, @by, @now)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", c.Id);
            cmd.Parameters.AddWithValue("o", c.OrganisationId);
            cmd.Parameters.AddWithValue("y", c.Year);
            cmd.Parameters.AddWithValue("k", c.Kind);
            cmd.Parameters.AddWithValue("t", c.Title);
            cmd.Parameters.Add(new NpgsqlParameter("topic", NpgsqlDbType.Text) { Value = (object?)c.Topic ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("stage", NpgsqlDbType.Text) { Value = (object?)c.Stage ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("subject", NpgsqlDbType.Text) { Value = (object?)c.Subject ?? DBNull.Value });
            cmd.Parameters.AddWithValue("h", c.Hours);
            cmd.Parameters.AddWithValue("by", actor);
            cmd.Parameters.AddWithValue("now", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await Persistence.AuditLog.WriteAsync(conn, tx, now, actor, "ce_course.create", "ce_course", c.Id, c.OrganisationId,
            new { c.Year, c.Kind, c.Title, c.Topic, c.Hours }, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Chooses (true) or drops (false) an elective; answers whether anything changed.</summary>
    public async Task<bool> SetEnrolmentAsync(Guid courseId, Guid personId, bool enrolled, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(enrolled
            ? "INSERT INTO ce_enrolments (course_id, person_id, enrolled_at) VALUES (@c, @p, @now) ON CONFLICT DO NOTHING"
            : "DELETE FROM ce_enrolments WHERE course_id = @c AND person_id = @p");
        cmd.Parameters.AddWithValue("c", courseId);
        cmd.Parameters.AddWithValue("p", personId);
        cmd.Parameters.AddWithValue("now", now);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    private async Task<List<CeCourseView>> CoursesAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        bind(cmd);
        var list = new List<CeCourseView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            list.Add(new CeCourseView(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.GetString(5), S(6), S(7), S(8),
                r.GetInt32(9), r.GetBoolean(10)));
        }
        return list;
    }
}
