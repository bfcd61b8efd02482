using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using static LiveClassroom.Server.Tests.Platform.CeHoursFixtures;

namespace LiveClassroom.Server.Tests.Platform;

public sealed class AlliancesApiTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    private const string LeadSchool = "示范县第一实验小学";

    /// <summary>A chief and an expert (new teachers of the lead school) with the tag in their usernames; the county researcher is the second expert.</summary>
    private async Task<(Guid Chief, Guid Expert, Guid Researcher)> PeopleAsync(string tag)
    {
        var chief = await TeacherAsync(factory, LeadSchool, $"al_chief_{tag}", $"首席{tag}");
        var expert = await TeacherAsync(factory, LeadSchool, $"al_expert_{tag}", $"专家{tag}");
        var researcher = (Guid)(await ScalarAsync("SELECT id FROM people WHERE username = 'researcher'"))!;
        return (chief, expert, researcher);
    }

    private async Task<Guid> ApplyAsync(string tag, Guid chief, params Guid[] experts)
    {
        using var proposer = await factory.ClientForAsync($"al_chief_{tag}");
        var body = await JsonAssert.StatusAsync(await proposer.PostAsJsonAsync("/api/alliances", new
        {
            organisationId = await factory.OrganisationIdAsync("示范县"), name = $"小学数学联盟{tag}", subject = "数学", stage = "primary",
            plan = "每月一次同课异构", chiefId = chief, expertIds = experts,
        }), HttpStatusCode.Created);
        Assert.Equal("applied", body.GetProperty("status").GetString());
        return body.GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Lifecycle_ApplyCertifyJoinAccept_AssessmentFiguresComeFromRealRows()
    {
        var (year, at) = YearAndInstant(factory);
        var (chief, expert, researcher) = await PeopleAsync("life");
        var joiner = await TeacherAsync(factory, "青山村小学", "al_join_life", "入盟教师", "assistant_teacher");
        var outsider = await TeacherAsync(factory, LeadSchool, "al_out_life", "盟外教师");
        var id = await ApplyAsync("life", chief, expert, researcher);
        using var county = await factory.ClientForAsync("admin");
        using var chiefClient = await factory.ClientForAsync("al_chief_life");
        using var joinClient = await factory.ClientForAsync("al_join_life");

        // Not open before certification; certified by the county admin, once.
        await JsonAssert.ErrorAsync(await joinClient.PostAsJsonAsync($"/api/alliances/{id}/applications", new { }), HttpStatusCode.Conflict, "not_open");
        var certified = await JsonAssert.StatusAsync(await county.PostAsync($"/api/alliances/{id}/certify", null), HttpStatusCode.OK);
        Assert.Equal("certified", certified.GetProperty("status").GetString());
        await JsonAssert.ErrorAsync(await county.PostAsync($"/api/alliances/{id}/certify", null), HttpStatusCode.Conflict, "wrong_state");

        // A teacher asks to join (once), cannot accept themself; the chief accepts.
        var application = await JsonAssert.StatusAsync(await joinClient.PostAsJsonAsync($"/api/alliances/{id}/applications", new { note = "想参加" }),
            HttpStatusCode.Created);
        await JsonAssert.ErrorAsync(await joinClient.PostAsJsonAsync($"/api/alliances/{id}/applications", new { }), HttpStatusCode.Conflict, "already_applied");
        var appId = application.GetProperty("id").GetGuid();
        await JsonAssert.ErrorAsync(await joinClient.PostAsync($"/api/alliances/{id}/applications/{appId}/accept", null), HttpStatusCode.Forbidden, "forbidden");
        var pending = await JsonAssert.StatusAsync(await chiefClient.GetAsync($"/api/alliances/{id}/applications"), HttpStatusCode.OK);
        Assert.Equal(joiner, pending.EnumerateArray().Single().GetProperty("personId").GetGuid());
        Assert.Equal(HttpStatusCode.NoContent, (await chiefClient.PostAsync($"/api/alliances/{id}/applications/{appId}/accept", null)).StatusCode);
        await JsonAssert.ErrorAsync(await chiefClient.PostAsync($"/api/alliances/{id}/applications/{appId}/accept", null), HttpStatusCode.Conflict, "wrong_state");
        var detail = await JsonAssert.StatusAsync(await joinClient.GetAsync($"/api/alliances/{id}"), HttpStatusCode.OK);
        Assert.Equal(["chief", "expert", "expert", "member"], detail.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("role").GetString()!));

        // The chief schedules a session: every other member is invited, and it is linked to the alliance.
        var session = await JsonAssert.StatusAsync(await chiefClient.PostAsJsonAsync($"/api/alliances/{id}/sessions",
            new { title = "联盟同课异构", scheduledStart = at }), HttpStatusCode.Created);
        var sessionId = session.GetProperty("id").GetGuid();
        Assert.Equal(3L, await CountAsync(factory, "SELECT count(*) FROM research_invitations WHERE session_id = @s", ("s", sessionId)));

        // Real rows: the session ended with two members present; the chief led an ended class, the outsider another;
        // the joiner published a resource (and has a draft), the outsider published one.
        await ExecAsync("UPDATE research_sessions SET status = 'ended', started_at = @a, ended_at = @b WHERE id = @s", ("a", at), ("b", at.AddHours(1)), ("s", sessionId));
        await ExecAsync("INSERT INTO research_attendance (session_id, person_id, role, joined_at, left_at) VALUES (@s, @c, 'host', @a, @b), (@s, @j, 'participant', @a, @b), (@s, @j, 'participant', @b, @b)",
            ("s", sessionId), ("c", chief), ("j", joiner), ("a", at), ("b", at.AddMinutes(50)));
        await EndedClassAsync(factory, chief, joiner, at);
        await EndedClassAsync(factory, outsider, joiner, at);
        await EndedClassAsync(factory, chief, joiner, at, status: "Live");
        await ResourceAsync(joiner, "published", at);
        await ResourceAsync(joiner, "draft", at);
        await ResourceAsync(outsider, "published", at);

        var figures = await JsonAssert.StatusAsync(await county.GetAsync($"/api/alliances/{id}/figures?year={year}"), HttpStatusCode.OK);
        Assert.Equal((4, 1, 1, 1, 2, 2), (figures.GetProperty("members").GetInt32(), figures.GetProperty("sessionsHeld").GetInt32(),
            figures.GetProperty("lessonsBroadcast").GetInt32(), figures.GetProperty("resourcesPublished").GetInt32(),
            figures.GetProperty("participatingMembers").GetInt32(), figures.GetProperty("attendances").GetInt32()));
        var lastYear = await JsonAssert.StatusAsync(await county.GetAsync($"/api/alliances/{id}/figures?year={year - 1}"), HttpStatusCode.OK);
        Assert.Equal(0, lastYear.GetProperty("sessionsHeld").GetInt32() + lastYear.GetProperty("lessonsBroadcast").GetInt32());

        var assessed = await JsonAssert.StatusAsync(await county.PostAsJsonAsync($"/api/alliances/{id}/assessments",
            new { year, score = 88, comment = "活动扎实", decision = "keep" }), HttpStatusCode.Created);
        Assert.Equal(1, assessed.GetProperty("figures").GetProperty("lessonsBroadcast").GetInt32());
        await JsonAssert.ErrorAsync(await county.PostAsJsonAsync($"/api/alliances/{id}/assessments",
            new { year, score = 90, comment = "再评", decision = "keep" }), HttpStatusCode.Conflict, "already_assessed");
        foreach (var action in new[] { "alliance.apply", "alliance.certify", "alliance.application_accept", "alliance.assess", "alliance.session_schedule" })
        {
            Assert.Equal(1L, await CountAsync(factory, "SELECT count(*) FROM audit_log WHERE action = @a AND target_id = @id", ("a", action), ("id", id)));
        }
        var list = await JsonAssert.StatusAsync(await joinClient.GetAsync("/api/alliances"), HttpStatusCode.OK);
        Assert.Equal("member", list.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == id).GetProperty("myRole").GetString());
    }

    [Fact]
    public async Task Rights_OnlyTheAdminOfThatLevelCertifiesAndAssesses()
    {
        var (chief, expert, researcher) = await PeopleAsync("rights");
        var id = await ApplyAsync("rights", chief, expert, researcher);
        await OtherCountyAdminAsync(factory, "al_neighbour");
        await CityAdminAsync("al_city");
        using var neighbour = await factory.ClientForAsync("al_neighbour");
        using var city = await factory.ClientForAsync("al_city");
        using var school = await factory.ClientForAsync("schooladmin");
        using var expertClient = await factory.ClientForAsync("al_expert_rights");
        using var county = await factory.ClientForAsync("admin");

        // A sibling county's admin, the city above and a school below are all refused; so is the alliance's own expert.
        foreach (var client in new[] { neighbour, city, school, expertClient })
        {
            await JsonAssert.ErrorAsync(await client.PostAsync($"/api/alliances/{id}/certify", null), HttpStatusCode.Forbidden, "forbidden");
            await JsonAssert.ErrorAsync(await client.PostAsJsonAsync($"/api/alliances/{id}/reject", new { reason = "不行" }), HttpStatusCode.Forbidden, "forbidden");
        }
        // The neighbour cannot even see the proposal, nor propose one in this county.
        await JsonAssert.ErrorAsync(await neighbour.GetAsync($"/api/alliances/{id}"), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await neighbour.PostAsJsonAsync("/api/alliances", new
        {
            organisationId = await factory.OrganisationIdAsync("示范县"), name = "越界联盟", subject = "数学", stage = "primary", plan = "计划", chiefId = chief,
        }), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.StatusAsync(await county.PostAsync($"/api/alliances/{id}/certify", null), HttpStatusCode.OK);
        var year = YearAndInstant(factory).Year;
        foreach (var client in new[] { neighbour, city, school, expertClient })
        {
            await JsonAssert.ErrorAsync(await client.PostAsJsonAsync($"/api/alliances/{id}/assessments",
                new { year, score = 50, comment = "越权", decision = "exit" }), HttpStatusCode.Forbidden, "forbidden");
        }
        // A teacher outside the alliance cannot manage its members; the county's ordinary teacher cannot accept anyone.
        using var teacher = await factory.ClientForAsync("teacher");
        await JsonAssert.ErrorAsync(await teacher.PutAsJsonAsync($"/api/alliances/{id}/members/{expert}", new { role = "core" }), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await teacher.GetAsync($"/api/alliances/{id}/applications"), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(0L, await CountAsync(factory, "SELECT count(*) FROM alliance_assessments WHERE alliance_id = @id", ("id", id)));
        Assert.Equal("certified", (string)(await ScalarAsync("SELECT status FROM alliances WHERE id = @id", ("id", id)))!);
    }

    [Fact]
    public async Task Certify_WithFewerThanTwoExperts_IsRefused_AndTheChiefStaysUnique()
    {
        var (chief, expert, researcher) = await PeopleAsync("experts");
        var id = await ApplyAsync("experts", chief, expert);
        using var county = await factory.ClientForAsync("admin");
        using var chiefClient = await factory.ClientForAsync("al_chief_experts");

        await JsonAssert.ErrorAsync(await county.PostAsync($"/api/alliances/{id}/certify", null), HttpStatusCode.Conflict, "too_few_experts");
        Assert.Equal("applied", (string)(await ScalarAsync("SELECT status FROM alliances WHERE id = @id", ("id", id)))!);

        // The chief cannot be given again, nor removed; a second chief is refused by the database too.
        var bad = await JsonAssert.ErrorAsync(await chiefClient.PutAsJsonAsync($"/api/alliances/{id}/members/{expert}", new { role = "chief" }),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("invalid", bad.GetProperty("fields").GetProperty("role").GetString());
        await JsonAssert.ErrorAsync(await county.DeleteAsync($"/api/alliances/{id}/members/{chief}"), HttpStatusCode.Conflict, "wrong_state");
        await JsonAssert.ErrorAsync(await county.PutAsJsonAsync($"/api/alliances/{id}/members/{chief}", new { role = "member" }), HttpStatusCode.Conflict, "wrong_state");
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecAsync("UPDATE alliance_members SET role = 'chief' WHERE alliance_id = @id AND person_id = @p", ("id", id), ("p", expert)));
        Assert.Equal("23505", ex.SqlState);

        // The chief adds the researcher as the second expert; now it can be certified.
        Assert.Equal(HttpStatusCode.NoContent, (await chiefClient.PutAsJsonAsync($"/api/alliances/{id}/members/{researcher}", new { role = "expert" })).StatusCode);
        await JsonAssert.StatusAsync(await county.PostAsync($"/api/alliances/{id}/certify", null), HttpStatusCode.OK);
        // A researcher is an expert only; core teachers are capped at 15.
        await JsonAssert.ErrorAsync(await chiefClient.PutAsJsonAsync($"/api/alliances/{id}/members/{researcher}", new { role = "core" }),
            HttpStatusCode.BadRequest, "validation");
        for (var i = 0; i < 15; i++)
        {
            var t = await TeacherAsync(factory, LeadSchool, $"al_core_{i}", $"核心{i}");
            await ExecAsync("INSERT INTO alliance_members (alliance_id, person_id, role, joined_at) VALUES (@id, @p, 'core', now())", ("id", id), ("p", t));
        }
        await JsonAssert.ErrorAsync(await chiefClient.PutAsJsonAsync($"/api/alliances/{id}/members/{expert}", new { role = "core" }), HttpStatusCode.Conflict, "role_full");
        Assert.Equal(1L, await CountAsync(factory, "SELECT count(*) FROM alliance_members WHERE alliance_id = @id AND role = 'chief'", ("id", id)));
    }

    [Fact]
    public async Task Apply_BadInput_IsRefusedFieldByField_AndLeavesNothingBehind()
    {
        var (chief, expert, _) = await PeopleAsync("bad");
        var other = await OtherCountyAdminAsync(factory, "al_bad_neighbour");
        var farTeacher = Guid.NewGuid();
        using var client = await factory.ClientForAsync("al_chief_bad");
        var county = await factory.OrganisationIdAsync("示范县");

        using var malformed = new StringContent("{\"name\": ", Encoding.UTF8, "application/json");
        await JsonAssert.ErrorAsync(await client.PostAsync("/api/alliances", malformed), HttpStatusCode.BadRequest, "bad_request");
        var missing = await JsonAssert.ErrorAsync(await client.PostAsJsonAsync("/api/alliances", new { organisationId = county, subject = "数学", stage = "kindergarten" }),
            HttpStatusCode.BadRequest, "validation");
        var f = missing.GetProperty("fields");
        Assert.Equal(("required", "invalid", "required", "required"), (f.GetProperty("name").GetString(), f.GetProperty("stage").GetString(),
            f.GetProperty("plan").GetString(), f.GetProperty("chiefId").GetString()));
        var school = await JsonAssert.ErrorAsync(await client.PostAsJsonAsync("/api/alliances", new
        {
            organisationId = await factory.OrganisationIdAsync(LeadSchool), name = "坏联盟", subject = "数学", stage = "primary", plan = "计划", chiefId = chief,
        }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal("invalid_level", school.GetProperty("fields").GetProperty("organisationId").GetString());
        // Names that do not belong under the county: refused after the rights check, before anything is written.
        var strangers = await JsonAssert.ErrorAsync(await client.PostAsJsonAsync("/api/alliances", new
        {
            organisationId = county, name = "坏联盟", subject = "数学", stage = "primary", plan = "计划", chiefId = chief, expertIds = new[] { expert, farTeacher },
            coreIds = new[] { other },
        }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(("not_eligible", "not_eligible"), (strangers.GetProperty("fields").GetProperty("expertIds").GetString(),
            strangers.GetProperty("fields").GetProperty("coreIds").GetString()));
        var twice = await JsonAssert.ErrorAsync(await client.PostAsJsonAsync("/api/alliances", new
        {
            organisationId = county, name = "坏联盟", subject = "数学", stage = "primary", plan = "计划", chiefId = chief, expertIds = new[] { expert, chief },
        }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal("duplicate", twice.GetProperty("fields").GetProperty("expertIds").GetString());
        Assert.Equal(0L, await CountAsync(factory, "SELECT count(*) FROM alliances WHERE name = '坏联盟'"));
        Assert.Equal(0L, await CountAsync(factory, "SELECT count(*) FROM alliance_members WHERE person_id = @p", ("p", chief)));
        Assert.Equal(0L, await CountAsync(factory, "SELECT count(*) FROM audit_log WHERE action = 'alliance.apply' AND actor_id = @p", ("p", chief)));
    }

    [Fact]
    public async Task Assessment_UpDownExit_MovesTheAllianceBetweenLevels()
    {
        var year = YearAndInstant(factory).Year;
        var (chief, expert, researcher) = await PeopleAsync("move");
        var id = await ApplyAsync("move", chief, expert, researcher);
        var countyId = await factory.OrganisationIdAsync("示范县");
        var cityId = await factory.OrganisationIdAsync("示范市");
        await CityAdminAsync("al_city_move");
        using var county = await factory.ClientForAsync("admin");
        using var city = await factory.ClientForAsync("al_city_move");
        await JsonAssert.StatusAsync(await county.PostAsync($"/api/alliances/{id}/certify", null), HttpStatusCode.OK);

        // A county alliance has no level below it; "up" takes no target.
        var noBelow = await JsonAssert.ErrorAsync(await county.PostAsJsonAsync($"/api/alliances/{id}/assessments",
            new { year = year - 2, score = 40, comment = "降级", decision = "down" }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal("no_level_below", noBelow.GetProperty("fields").GetProperty("targetOrganisationId").GetString());
        var bad = await JsonAssert.ErrorAsync(await county.PostAsJsonAsync($"/api/alliances/{id}/assessments",
            new { year = year + 1, score = 101, comment = "", decision = "promote" }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(4, bad.GetProperty("fields").EnumerateObject().Count());

        await JsonAssert.StatusAsync(await county.PostAsJsonAsync($"/api/alliances/{id}/assessments",
            new { year = year - 2, score = 95, comment = "升为市级", decision = "up" }), HttpStatusCode.Created);
        Assert.Equal(cityId, (Guid)(await ScalarAsync("SELECT organisation_id FROM alliances WHERE id = @id", ("id", id)))!);
        // Now the city's: the county admin no longer assesses it.
        await JsonAssert.ErrorAsync(await county.PostAsJsonAsync($"/api/alliances/{id}/assessments",
            new { year = year - 1, score = 50, comment = "县里评", decision = "keep" }), HttpStatusCode.Forbidden, "forbidden");
        var down = await JsonAssert.StatusAsync(await city.PostAsJsonAsync($"/api/alliances/{id}/assessments",
            new { year = year - 1, score = 55, comment = "降回县级", decision = "down", targetOrganisationId = countyId }), HttpStatusCode.Created);
        Assert.Equal("示范县", down.GetProperty("toOrganisationName").GetString());
        Assert.Equal(countyId, (Guid)(await ScalarAsync("SELECT organisation_id FROM alliances WHERE id = @id", ("id", id)))!);

        await JsonAssert.StatusAsync(await county.PostAsJsonAsync($"/api/alliances/{id}/assessments",
            new { year, score = 20, comment = "活动停滞，撤销", decision = "exit" }), HttpStatusCode.Created);
        Assert.Equal("dissolved", (string)(await ScalarAsync("SELECT status FROM alliances WHERE id = @id", ("id", id)))!);
        using var teacher = await factory.ClientForAsync("teacher");
        await JsonAssert.ErrorAsync(await teacher.PostAsJsonAsync($"/api/alliances/{id}/applications", new { }), HttpStatusCode.Conflict, "not_open");
        Assert.Equal(2L, await CountAsync(factory, "SELECT count(*) FROM audit_log WHERE action = 'alliance.move' AND target_id = @id", ("id", id)));
    }

    [Fact]
    public async Task Sessions_ScheduledByChiefOrExpertOnly_BadInputRefused_MembersSeeIt()
    {
        var (year, at) = YearAndInstant(factory);
        var (chief, expert, researcher) = await PeopleAsync("sess");
        var member = await TeacherAsync(factory, "石桥镇小学", "al_member_sess", "普通成员", "assistant_teacher");
        var id = await ApplyAsync("sess", chief, expert, researcher);
        using var county = await factory.ClientForAsync("admin");
        using var expertClient = await factory.ClientForAsync("al_expert_sess");
        using var memberClient = await factory.ClientForAsync("al_member_sess");
        using var chiefClient = await factory.ClientForAsync("al_chief_sess");

        // Not before certification.
        await JsonAssert.ErrorAsync(await chiefClient.PostAsJsonAsync($"/api/alliances/{id}/sessions", new { title = "早了", scheduledStart = at }),
            HttpStatusCode.Conflict, "wrong_state");
        await JsonAssert.StatusAsync(await county.PostAsync($"/api/alliances/{id}/certify", null), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await county.PutAsJsonAsync($"/api/alliances/{id}/members/{member}", new { role = "member" })).StatusCode);

        await JsonAssert.ErrorAsync(await memberClient.PostAsJsonAsync($"/api/alliances/{id}/sessions", new { title = "成员发起", scheduledStart = at }),
            HttpStatusCode.Forbidden, "forbidden");
        var bad = await JsonAssert.ErrorAsync(await expertClient.PostAsJsonAsync($"/api/alliances/{id}/sessions",
            new { title = "", stage = "preschool", durationMinutes = 5 }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["durationMinutes", "scheduledStart", "stage", "title"], bad.GetProperty("fields").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var before = await CountAsync(factory, "SELECT count(*) FROM research_sessions");

        // An expert hosts their own session; the other members (chief included) are invited and see it.
        var created = await JsonAssert.StatusAsync(await expertClient.PostAsJsonAsync($"/api/alliances/{id}/sessions",
            new { title = "专家示范课", scheduledStart = at.AddDays(1), durationMinutes = 60 }), HttpStatusCode.Created);
        var sessionId = created.GetProperty("id").GetGuid();
        Assert.Equal(before + 1, await CountAsync(factory, "SELECT count(*) FROM research_sessions"));
        Assert.Equal(expert, (Guid)(await ScalarAsync("SELECT host_id FROM research_sessions WHERE id = @s", ("s", sessionId)))!);
        await JsonAssert.StatusAsync(await memberClient.GetAsync($"/api/research/sessions/{sessionId}"), HttpStatusCode.OK);
        await JsonAssert.StatusAsync(await chiefClient.GetAsync($"/api/research/sessions/{sessionId}"), HttpStatusCode.OK);
        var detail = await JsonAssert.StatusAsync(await memberClient.GetAsync($"/api/alliances/{id}"), HttpStatusCode.OK);
        Assert.Equal(sessionId, detail.GetProperty("sessions").EnumerateArray().Single().GetProperty("id").GetGuid());
        Assert.False(detail.GetProperty("canSchedule").GetBoolean());
        Assert.Equal(year, detail.GetProperty("figures").GetProperty("year").GetInt32());

        // A rejected application needs its reason; the member cannot read the chief's queue.
        using var joiner = await factory.ClientForAsync("assistant3");
        var app = await JsonAssert.StatusAsync(await joiner.PostAsJsonAsync($"/api/alliances/{id}/applications", new { }), HttpStatusCode.Created);
        await JsonAssert.ErrorAsync(await memberClient.GetAsync($"/api/alliances/{id}/applications"), HttpStatusCode.Forbidden, "forbidden");
        var noReason = await JsonAssert.ErrorAsync(await chiefClient.PostAsJsonAsync($"/api/alliances/{id}/applications/{app.GetProperty("id").GetGuid()}/reject",
            new { reason = " " }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal("required", noReason.GetProperty("fields").GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await chiefClient.PostAsJsonAsync($"/api/alliances/{id}/applications/{app.GetProperty("id").GetGuid()}/reject",
            new { reason = "学科不符" })).StatusCode);
        var mine = await JsonAssert.StatusAsync(await joiner.GetAsync($"/api/alliances/{id}"), HttpStatusCode.OK);
        Assert.Equal(("rejected", "学科不符"), (mine.GetProperty("applications").EnumerateArray().Single().GetProperty("status").GetString(),
            mine.GetProperty("applications").EnumerateArray().Single().GetProperty("reason").GetString()));
        Assert.Equal(1L, await CountAsync(factory, "SELECT count(*) FROM audit_log WHERE action = 'alliance.application_reject' AND target_id = @id", ("id", id)));
    }

    private async Task CityAdminAsync(string username)
    {
        var city = await factory.OrganisationIdAsync("示范市");
        await ExecAsync("""
            INSERT INTO people (id, organisation_id, username, display_name, password_hash)
            SELECT @id, @org, @u, '市教研主任', password_hash FROM people WHERE username = 'teacher'
            """, ("id", Guid.NewGuid()), ("org", city), ("u", username));
        await ExecAsync("INSERT INTO person_roles (person_id, role, organisation_id) SELECT id, 'city_admin', @o FROM people WHERE username = @u", ("o", city), ("u", username));
    }

    private async Task ResourceAsync(Guid author, string status, DateTimeOffset at)
    {
        var school = await factory.OrganisationIdAsync(LeadSchool);
        var recording = Guid.NewGuid();
        await ExecAsync("INSERT INTO recordings (id, room_id, school_id, status, node_id, lease_until) VALUES (@id, 'room', @s, 'ready', 'n', now())",
            ("id", recording), ("s", school));
        await ExecAsync("""
            INSERT INTO resources (id, recording_id, school_id, status, title, duration_seconds, author_id, published_at)
            VALUES (@id, @r, @s, @st, '联盟课例', 1800, @a, @at)
            """, ("id", Guid.NewGuid()), ("r", recording), ("s", school), ("st", status), ("a", author), ("at", at));
    }

    private async Task ExecAsync(string sql, params (string Name, object Value)[] args)
    {
        await using var ds = factory.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand(sql);
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v);
        }
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] args)
    {
        await using var ds = factory.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand(sql);
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v);
        }
        return await cmd.ExecuteScalarAsync();
    }
}
