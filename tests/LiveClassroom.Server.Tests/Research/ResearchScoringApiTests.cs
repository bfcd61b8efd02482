using System.Net;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>Schedule → join → score and comment → report, and the refusals around it, on real PostgreSQL.</summary>
public sealed class ResearchScoringApiTests(ResearchServer server) : IClassFixture<ResearchServer>
{
    [Fact]
    public async Task Report_AfterScoresAndComments_ShowsAveragesSpreadTotalAndTimedLinks()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);
        (await Api.PostAsync(s.Teacher, $"{s.Url}/join", new { connectionId = "t1" })).Expect(HttpStatusCode.OK);
        (await Api.PutAsync(s.Teacher, $"{s.LessonUrl}/scores/me", new { scores = new { goals = 4, process = 3, engagement = 4, technology = 5, outcome = 4 } })).Expect(HttpStatusCode.OK);
        (await Api.PutAsync(s.Researcher, $"{s.LessonUrl}/scores/me", new { scores = new { goals = 3, process = 5 } })).Expect(HttpStatusCode.OK);
        (await Api.PostAsync(s.Teacher, $"{s.LessonUrl}/comments", new { offsetSeconds = 45, body = "导入环节贴近生活" })).Expect(HttpStatusCode.Created);
        server.Clock.Advance(TimeSpan.FromMinutes(20));
        // A late joiner: joins twenty minutes in, after the others scored, and reconnects once.
        (await Api.PostAsync(s.Observer, $"{s.Url}/join", new { connectionId = "o1" })).Expect(HttpStatusCode.OK);
        (await Api.PostAsync(s.Observer, $"{s.Url}/join", new { connectionId = "o2" })).Expect(HttpStatusCode.OK);
        (await Api.PutAsync(s.Observer, $"{s.LessonUrl}/scores/me", new { scores = new { goals = 5, process = 4 } })).Expect(HttpStatusCode.OK);
        (await Api.PutAsync(s.Observer, $"{s.LessonUrl}/scores/me", new { scores = new { engagement = 3, technology = 4, outcome = 5 } })).Expect(HttpStatusCode.OK);
        (await Api.PostAsync(s.Observer, $"{s.LessonUrl}/comments", new { offsetSeconds = 123, body = "小组讨论时间偏短", criterionKey = "engagement" })).Expect(HttpStatusCode.Created);

        var report = (await Api.GetAsync(s.Researcher, $"{s.Url}/reports/{s.LessonId}")).Expect(HttpStatusCode.OK);

        Assert.Equal(4, ResearchSessionScenario.Mean(report, "goals"));
        Assert.Equal(4, ResearchSessionScenario.Mean(report, "process"));
        Assert.Equal(3.5, ResearchSessionScenario.Mean(report, "engagement"));
        var goals = report.GetProperty("scores").GetProperty("criteria")[0];
        Assert.Equal(3, goals.GetProperty("count").GetInt32());
        Assert.Equal(3, goals.GetProperty("min").GetDouble());
        Assert.Equal(5, goals.GetProperty("max").GetDouble());
        Assert.Equal(0.82, goals.GetProperty("stdDev").GetDouble());
        Assert.Equal(3, report.GetProperty("scores").GetProperty("sheetCount").GetInt32());
        Assert.Equal(80.5, report.GetProperty("scores").GetProperty("weightedTotal").GetDouble());
        var comments = report.GetProperty("comments").EnumerateArray().ToList();
        Assert.Equal([45, 123], comments.Select(c => c.GetProperty("offsetSeconds").GetInt32()));
        Assert.Equal($"/research/{s.SessionId}/lessons/{s.LessonId}/watch?t=123", comments[1].GetProperty("link").GetString());
        Assert.Equal(await server.ResourceOfAsync(s.RecordingId), report.GetProperty("resourceId").GetGuid());
        Assert.Equal("02:03", comments[1].GetProperty("timecode").GetString());

        var live = (await Api.GetAsync(s.Researcher, $"{s.Url}/live")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, live.GetProperty("participants").EnumerateArray().Count(p => p.GetProperty("personId").GetGuid() == s.ObserverId));
        var participation = (await Api.GetAsync(s.Researcher, $"{s.Url}/participation")).Expect(HttpStatusCode.OK);
        var observer = participation.GetProperty("people").EnumerateArray().Single(p => p.GetProperty("personId").GetGuid() == s.ObserverId);
        Assert.Single(observer.GetProperty("presence").EnumerateArray());
        Assert.Equal(1, observer.GetProperty("lessonsScored").GetInt32());
    }

    [Fact]
    public async Task ReportHtml_AfterScoring_IsPrintableChinesePageWithAveragesAndSecondLinks()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);
        (await Api.PutAsync(s.Teacher, $"{s.LessonUrl}/scores/me", new { scores = new { goals = 4, process = 2 } })).Expect(HttpStatusCode.OK);
        (await Api.PutAsync(s.Observer, $"{s.LessonUrl}/scores/me", new { scores = new { goals = 5, process = 3 } })).Expect(HttpStatusCode.OK);
        (await Api.PostAsync(s.Observer, $"{s.LessonUrl}/comments", new { offsetSeconds = 754, body = "板书<清晰>" })).Expect(HttpStatusCode.Created);

        using var response = await s.Researcher.GetAsync($"{s.Url}/reports/{s.LessonId}.html");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.Contains("<td>教学目标</td><td class=\"num\">15</td><td class=\"num\">2</td><td class=\"num\">4.5</td>", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/research/{s.SessionId}/lessons/{s.LessonId}/watch?t=754\">12:34</a>", html, StringComparison.Ordinal);
        Assert.Contains("板书&lt;清晰&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutScores_OutsideTheScale_RefusedAndEarlierScoresKept()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);
        (await Api.PutAsync(s.Teacher, $"{s.LessonUrl}/scores/me", new { scores = new { goals = 4 } })).Expect(HttpStatusCode.OK);

        var code = (await Api.PutAsync(s.Teacher, $"{s.LessonUrl}/scores/me", new { scores = new { goals = 5, process = 9 } })).ExpectError(HttpStatusCode.BadRequest);

        Assert.Equal("score_out_of_range", code);
        var sheet = (await Api.GetAsync(s.Teacher, $"{s.LessonUrl}/scores/me")).Expect(HttpStatusCode.OK);
        Assert.Equal(4, sheet.GetProperty("scores").GetProperty("goals").GetDouble());
        Assert.False(sheet.GetProperty("scores").TryGetProperty("process", out _));
    }

    [Fact]
    public async Task PutScores_UnknownCriterion_Refused()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);

        var code = (await Api.PutAsync(s.Teacher, $"{s.LessonUrl}/scores/me", new { scores = new { charisma = 3 } })).ExpectError(HttpStatusCode.BadRequest);

        Assert.Equal("unknown_criterion", code);
    }

    [Fact]
    public async Task PostComment_OnALessonThatDoesNotExist_404AndExistingCommentsKept()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);
        (await Api.PostAsync(s.Teacher, $"{s.LessonUrl}/comments", new { offsetSeconds = 10, body = "保留" })).Expect(HttpStatusCode.Created);

        var code = (await Api.PostAsync(s.Teacher, $"{s.Url}/lessons/{Guid.NewGuid()}/comments", new { offsetSeconds = 5, body = "丢失?" })).ExpectError(HttpStatusCode.NotFound);

        Assert.Equal("lesson_not_found", code);
        var comments = (await Api.GetAsync(s.Teacher, $"{s.LessonUrl}/comments")).Expect(HttpStatusCode.OK);
        Assert.Equal("保留", Assert.Single(comments.EnumerateArray()).GetProperty("body").GetString());
    }

    [Fact]
    public async Task AddLesson_RecordingNotInLibrary_404()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);

        var code = (await Api.PostAsync(s.Researcher, $"{s.Url}/lessons", new { title = "不存在的录像", recordingId = Guid.NewGuid() })).ExpectError(HttpStatusCode.NotFound);

        Assert.Equal("recording_not_found", code);
        Assert.Single((await Api.GetAsync(s.Researcher, $"{s.Url}/lessons")).Expect(HttpStatusCode.OK).EnumerateArray());
    }

    [Fact]
    public async Task PostComment_MalformedJson_ClearError()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);
        using var content = new StringContent("{\"offsetSeconds\": \"soon\"", System.Text.Encoding.UTF8, "application/json");

        using var response = await s.Teacher.PostAsync($"{s.LessonUrl}/comments", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"error\":\"bad_json\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutScores_AfterSessionEnded_RefusedAndReportStillHasScores()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);
        (await Api.PutAsync(s.Teacher, $"{s.LessonUrl}/scores/me", new { scores = new { goals = 2 } })).Expect(HttpStatusCode.OK);
        (await Api.PostAsync(s.Researcher, $"{s.Url}/end")).Expect(HttpStatusCode.OK);

        var code = (await Api.PutAsync(s.Teacher, $"{s.LessonUrl}/scores/me", new { scores = new { goals = 5 } })).ExpectError(HttpStatusCode.Conflict);

        Assert.Equal("session_ended", code);
        var report = (await Api.GetAsync(s.Teacher, $"{s.Url}/reports/{s.LessonId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, ResearchSessionScenario.Mean(report, "goals"));
    }

    [Fact]
    public async Task GetReport_ByUninvitedTeacher_Forbidden()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);

        var code = (await Api.GetAsync(s.Outsider, $"{s.Url}/reports/{s.LessonId}")).ExpectError(HttpStatusCode.Forbidden);

        Assert.Equal("not_a_member", code);
    }

    [Fact]
    public async Task Comparison_TwoRecordingsOfOneChapter_SideBySideWithOwnScores()
    {
        var s = await ResearchSessionScenario.CreateAsync(server, start: false);
        var second = await server.RecordingAsync();
        var other = (await Api.PostAsync(s.Researcher, $"{s.Url}/lessons", new { title = "分数的初步认识（李强）", teacherName = "李强", recordingId = second }))
            .Expect(HttpStatusCode.Created).GetProperty("id").GetGuid();
        (await Api.PostAsync(s.Researcher, $"{s.Url}/start")).Expect(HttpStatusCode.OK);
        (await Api.PutAsync(s.Teacher, $"{s.LessonUrl}/scores/me", new { scores = new { goals = 5 } })).Expect(HttpStatusCode.OK);
        (await Api.PutAsync(s.Teacher, $"{s.Url}/lessons/{other}/scores/me", new { scores = new { goals = 3 } })).Expect(HttpStatusCode.OK);

        var comparison = (await Api.GetAsync(s.Observer, $"{s.Url}/comparison?chapter=分数的初步认识")).Expect(HttpStatusCode.OK);

        var lessons = comparison.GetProperty("lessons").EnumerateArray().ToList();
        Assert.Equal(2, lessons.Count);
        Assert.Equal(5, ResearchSessionScenario.Mean(lessons.Single(l => l.GetProperty("lesson").GetProperty("recordingId").GetGuid() == s.RecordingId), "goals"));
        Assert.Equal(3, ResearchSessionScenario.Mean(lessons.Single(l => l.GetProperty("lesson").GetProperty("recordingId").GetGuid() == second), "goals"));
    }

    [Fact]
    public async Task Report_RecordingNotYetInLibrary_LinksToTheSessionWatchPageAtTheSecond()
    {
        var s = await ResearchSessionScenario.CreateAsync(server, start: false);
        var raw = await server.RecordingAsync(resourceStatus: null);
        var lesson = (await Api.PostAsync(s.Researcher, $"{s.Url}/lessons", new { title = "直播课例", liveClassId = Guid.NewGuid() }))
            .Expect(HttpStatusCode.Created).GetProperty("id").GetGuid();
        (await Api.PostAsync(s.Researcher, $"{s.Url}/start")).Expect(HttpStatusCode.OK);
        (await Api.PostAsync(s.Teacher, $"{s.Url}/lessons/{lesson}/comments", new { offsetSeconds = 61, body = "提问覆盖远端学生" })).Expect(HttpStatusCode.Created);
        var before = (await Api.GetAsync(s.Teacher, $"{s.Url}/reports/{lesson}")).Expect(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, before.GetProperty("comments")[0].GetProperty("link").ValueKind);

        // Not in the library yet: only its school's insiders may attach it — the county admin, not the county researcher.
        Assert.Equal("recording_not_found", (await Api.PutAsync(s.Researcher, $"{s.Url}/lessons/{lesson}/recording", new { recordingId = raw })).ExpectError(HttpStatusCode.NotFound));
        var (countyAdmin, _) = await server.ClientAsync("admin");
        (await Api.PutAsync(countyAdmin, $"{s.Url}/lessons/{lesson}/recording", new { recordingId = raw })).Expect(HttpStatusCode.OK);

        var after = (await Api.GetAsync(s.Teacher, $"{s.Url}/reports/{lesson}")).Expect(HttpStatusCode.OK);
        Assert.Equal($"/research/{s.SessionId}/lessons/{lesson}/watch?t=61", after.GetProperty("comments")[0].GetProperty("link").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, after.GetProperty("resourceId").ValueKind);
    }
}
