using LiveClassroom.Server.Auth;
using LiveClassroom.Server.ContinuingEducation;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace LiveClassroom.Server.Tests.Platform;

/// <summary>Rows the continuing-education tests need, written straight into the real database.</summary>
internal static class CeHoursFixtures
{
    /// <summary>The current school year and an instant early in it (already past), where evidence is dated.</summary>
    public static (int Year, DateTimeOffset At) YearAndInstant(AccountsServerFactory factory)
    {
        var year = CeRules.SchoolYear(factory.Clock.GetUtcNow());
        return (year, CeRules.Window(year).From.AddHours(2).ToUniversalTime());
    }

    /// <summary>A new active teacher (demo password) with <paramref name="role"/> at the school.</summary>
    public static async Task<Guid> TeacherAsync(AccountsServerFactory factory, string school, string username, string name, string role = "lead_teacher")
    {
        var schoolId = await factory.OrganisationIdAsync(school);
        var id = Guid.NewGuid();
        await using var ds = factory.Database.CreateDataSource();
        await using (var cmd = ds.CreateCommand("""
            INSERT INTO people (id, organisation_id, username, display_name, password_hash, stage, subject)
            SELECT @id, @org, @u, @d, password_hash, 'primary', '数学' FROM people WHERE username = 'teacher'
            """))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("org", schoolId);
            cmd.Parameters.AddWithValue("u", username);
            cmd.Parameters.AddWithValue("d", name);
            await cmd.ExecuteNonQueryAsync();
        }
        await ExecAsync(ds, "INSERT INTO person_roles (person_id, role, organisation_id) VALUES (@p, @r, @o)",
            ("p", id), ("r", role), ("o", schoolId));
        return id;
    }

    /// <summary>A county beside 示范县 (under 示范市) with its own county admin; the server's tree is reloaded.</summary>
    public static async Task<Guid> OtherCountyAdminAsync(AccountsServerFactory factory, string username)
    {
        var city = await factory.OrganisationIdAsync("示范市");
        var county = Guid.NewGuid();
        await using var ds = factory.Database.CreateDataSource();
        await ExecAsync(ds, "INSERT INTO organisations (id, parent_id, kind, name) VALUES (@id, @city, 'county', @n)",
            ("id", county), ("city", city), ("n", "邻县" + username));
        await ExecAsync(ds, "UPDATE auth_cache_versions SET version = version + 1 WHERE scope = 'organisations'");
        var person = Guid.NewGuid();
        await ExecAsync(ds, """
            INSERT INTO people (id, organisation_id, username, display_name, password_hash)
            SELECT @id, @org, @u, '邻县主任', password_hash FROM people WHERE username = 'teacher'
            """, ("id", person), ("org", county), ("u", username));
        await ExecAsync(ds, "INSERT INTO person_roles (person_id, role, organisation_id) VALUES (@p, 'county_admin', @o)", ("p", person), ("o", county));
        await factory.Services.GetRequiredService<AuthStateRefresher>().RefreshAsync(true, CancellationToken.None);
        return county;
    }

    /// <summary>An ended live class taught by <paramref name="lead"/>, <paramref name="assistant"/> joined for the rural classroom.</summary>
    public static async Task<string> EndedClassAsync(AccountsServerFactory factory, Guid lead, Guid assistant, DateTimeOffset endedAt, string status = "Ended")
    {
        var id = "ce-class-" + Guid.NewGuid().ToString("N");
        var state = $$"""
            {"status":"{{status}}","setup":{"title":"数学","leadTeacher":{"id":"{{lead}}","name":"主讲"},"leadClassroom":{"id":"lc1","name":"主讲教室"},
             "ruralClassrooms":[{"id":"rc1","name":"村小教室"}]},
             "openedAt":"{{endedAt.AddMinutes(-45).ToUniversalTime():O}}","endedAt":"{{endedAt.ToUniversalTime():O}}",
             "classrooms":[{"id":"lc1","name":"主讲教室","isLead":true,"minutesBefore":44.6},{"id":"rc1","name":"村小教室","isLead":false,"minutesBefore":40.2}],
             "participants":[{"principalId":"{{lead}}","kind":"Person","role":"Lead","classroomId":"lc1"},
                             {"principalId":"{{assistant}}","kind":"Person","role":"Classroom","classroomId":"rc1"},
                             {"principalId":"device-1","kind":"Device","role":"Classroom","classroomId":"rc1"}]}
            """;
        await using var ds = factory.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand("INSERT INTO grain_state (kind, id, version, state) VALUES ('classroom', @id, 1, @s)");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Jsonb) { Value = state });
        await cmd.ExecuteNonQueryAsync();
        return id;
    }

    /// <summary>
    /// An ended research session: one 30-minute segment the teacher attended whole; a lesson the teacher scored on
    /// both criteria (an observation report) and the other person on one only (not a report).
    /// </summary>
    public static async Task<(Guid Session, Guid Lesson)> EndedResearchAsync(AccountsServerFactory factory, Guid teacher, Guid partial, DateTimeOffset start)
    {
        var county = await factory.OrganisationIdAsync("示范县");
        var session = Guid.NewGuid();
        var lesson = Guid.NewGuid();
        await using var ds = factory.Database.CreateDataSource();
        await ExecAsync(ds, """
            INSERT INTO research_sessions (id, organisation_id, title, kind, subject, stage, scheduled_start, host_id, created_by, status,
                rubric_name, rubric_scale_min, rubric_scale_max, rubric_criteria, started_at, ended_at)
            VALUES (@id, @org, '评课', 'lesson_review', '数学', 'primary', @start, @t, @t, 'ended', '表', 1, 5,
                '[{"key":"a","name":"甲","description":"","weight":50},{"key":"b","name":"乙","description":"","weight":50}]', @start, @end)
            """, ("id", session), ("org", county), ("start", start), ("t", teacher), ("end", start.AddMinutes(40)));
        await ExecAsync(ds, "INSERT INTO research_segments (session_id, position, kind, planned_seconds, started_at, ended_at) VALUES (@s, 0, 'review', 1800, @a, @b)",
            ("s", session), ("a", start), ("b", start.AddMinutes(30)));
        await ExecAsync(ds, "INSERT INTO research_attendance (session_id, person_id, role, joined_at, left_at) VALUES (@s, @p, 'host', @a, @b)",
            ("s", session), ("p", teacher), ("a", start.AddMinutes(-5)), ("b", start.AddMinutes(35)));
        await ExecAsync(ds, "INSERT INTO research_lessons (id, session_id, title, live_class_id) VALUES (@id, @s, '课', @l)",
            ("id", lesson), ("s", session), ("l", Guid.NewGuid()));
        await ExecAsync(ds, "INSERT INTO research_scores (lesson_id, observer_id, criterion_key, score) VALUES (@l, @p, 'a', 4), (@l, @p, 'b', 5), (@l, @q, 'a', 3)",
            ("l", lesson), ("p", teacher), ("q", partial));
        return (session, lesson);
    }

    /// <summary>A lesson plan the teacher is a member of and wrote a version of.</summary>
    public static async Task<Guid> CoPreparedPlanAsync(AccountsServerFactory factory, Guid teacher, Guid mainPreparer, DateTimeOffset at)
    {
        var plan = Guid.NewGuid();
        await using var ds = factory.Database.CreateDataSource();
        await ExecAsync(ds, """
            INSERT INTO research_lesson_plans (id, organisation_id, subject, stage, chapter, main_preparer_id, created_by)
            VALUES (@id, @org, '数学', 'primary', '分数', @m, @m)
            """, ("id", plan), ("org", await factory.OrganisationIdAsync("示范县")), ("m", mainPreparer));
        await ExecAsync(ds, "INSERT INTO research_lesson_plan_members (plan_id, person_id) VALUES (@id, @t)", ("id", plan), ("t", teacher));
        await ExecAsync(ds, "INSERT INTO research_lesson_plan_versions (plan_id, version, body, author_id, created_at) VALUES (@id, 1, '初稿', @m, @at), (@id, 2, '修改', @t, @at2)",
            ("id", plan), ("m", mainPreparer), ("t", teacher), ("at", at), ("at2", at.AddMinutes(10)));
        return plan;
    }

    /// <summary>A 30-minute library lesson; the viewers watched the given shares of it.</summary>
    public static async Task<Guid> LibraryLessonAsync(AccountsServerFactory factory, DateTimeOffset at, params (Guid Person, double Completion)[] views)
    {
        var school = await factory.OrganisationIdAsync("示范县第一实验小学");
        var recording = Guid.NewGuid();
        var resource = Guid.NewGuid();
        await using var ds = factory.Database.CreateDataSource();
        await ExecAsync(ds, "INSERT INTO recordings (id, room_id, school_id, status, node_id, lease_until) VALUES (@id, 'room', @s, 'ready', 'n', now())",
            ("id", recording), ("s", school));
        await ExecAsync(ds, "INSERT INTO resources (id, recording_id, school_id, status, title, duration_seconds) VALUES (@id, @r, @s, 'published', '分数的意义', 1800)",
            ("id", resource), ("r", recording), ("s", school));
        foreach (var (person, completion) in views)
        {
            // Watched twice: still one credit.
            for (var i = 0; i < 2; i++)
            {
                await ExecAsync(ds, "INSERT INTO resource_views (id, resource_id, person_id, started_at, max_position_seconds, completion) VALUES (@id, @r, @p, @at, @pos, @c)",
                    ("id", Guid.NewGuid()), ("r", resource), ("p", person), ("at", at.AddHours(i)), ("pos", 1800 * completion), ("c", completion));
            }
        }
        return resource;
    }

    public static async Task<long> CountAsync(AccountsServerFactory factory, string sql, params (string Name, object Value)[] args)
    {
        await using var ds = factory.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand(sql);
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v);
        }
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecAsync(NpgsqlDataSource ds, string sql, params (string Name, object Value)[] args)
    {
        await using var cmd = ds.CreateCommand(sql);
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v);
        }
        await cmd.ExecuteNonQueryAsync();
    }
}
