using System.Net;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>Scheduling rules, the agenda and the floor over HTTP, and the participation record they leave.</summary>
public sealed class ResearchLiveApiTests(ResearchServer server) : IClassFixture<ResearchServer>
{
    [Fact]
    public async Task Schedule_ByTeacherWithoutResearchRole_Forbidden()
    {
        var (teacher, _) = await server.ClientAsync("teacher");

        var code = (await Api.PostAsync(teacher, "/api/research/sessions", new
        {
            title = "说课",
            subject = "语文",
            stage = "primary",
            scheduledStart = server.Clock.GetUtcNow(),
            segments = new[] { new { kind = "lesson_talk", plannedMinutes = 15 } },
        })).ExpectError(HttpStatusCode.Forbidden);

        Assert.Equal("cannot_schedule", code);
    }

    [Fact]
    public async Task Schedule_ByCountyAdminWithChiefTeacherAsHost_TeacherHostsTheSession()
    {
        var (admin, _) = await server.ClientAsync("admin");
        var (teacher, teacherId) = await server.ClientAsync("teacher");

        var created = (await Api.PostAsync(admin, "/api/research/sessions", new
        {
            title = "联盟集体备课",
            kind = "co_prepare",
            subject = "数学",
            stage = "primary",
            hostId = teacherId,
            scheduledStart = server.Clock.GetUtcNow(),
            segments = new[] { new { kind = "co_prepare", plannedMinutes = 45 } },
        })).Expect(HttpStatusCode.Created);

        var id = created.GetProperty("id").GetGuid();
        var mine = (await Api.GetAsync(teacher, $"/api/research/sessions/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("host", mine.GetProperty("myRole").GetString());
        (await Api.PostAsync(teacher, $"/api/research/sessions/{id}/start")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Schedule_SchoolAdmin_OwnSchoolAllowedCountyAboveForbidden()
    {
        var (schoolAdmin, _) = await server.ClientAsync("schooladmin");
        var county = await server.OrganisationIdAsync("示范县");
        var school = await server.OrganisationIdAsync("示范县第一实验小学");
        object Body(Guid org) => new
        {
            title = "校本教研",
            subject = "语文",
            stage = "primary",
            organisationId = org,
            scheduledStart = server.Clock.GetUtcNow(),
            segments = new[] { new { kind = "free", plannedMinutes = 30 } },
        };

        var above = (await Api.PostAsync(schoolAdmin, "/api/research/sessions", Body(county))).ExpectError(HttpStatusCode.Forbidden);
        (await Api.PostAsync(schoolAdmin, "/api/research/sessions", Body(school))).Expect(HttpStatusCode.Created);

        Assert.Equal("cannot_schedule", above);
    }

    [Fact]
    public async Task ListSessions_TeacherOfInvitedSchool_SeesItAndUninvitedTeacherDoesNot()
    {
        var s = await ResearchSessionScenario.CreateAsync(server, start: false);

        var mine = (await Api.GetAsync(s.Teacher, "/api/research/sessions")).Expect(HttpStatusCode.OK);
        var theirs = (await Api.GetAsync(s.Outsider, "/api/research/sessions")).Expect(HttpStatusCode.OK);

        var listed = mine.EnumerateArray().Single(x => x.GetProperty("id").GetGuid() == s.SessionId);
        Assert.Equal("participant", listed.GetProperty("myRole").GetString());
        Assert.DoesNotContain(theirs.EnumerateArray(), x => x.GetProperty("id").GetGuid() == s.SessionId);
    }

    [Fact]
    public async Task Schedule_InvalidSegmentKind_BadRequest()
    {
        var (researcher, _) = await server.ClientAsync("researcher");

        var code = (await Api.PostAsync(researcher, "/api/research/sessions", new
        {
            title = "x",
            subject = "数学",
            stage = "primary",
            scheduledStart = server.Clock.GetUtcNow(),
            segments = new[] { new { kind = "lecture", plannedMinutes = 15 } },
        })).ExpectError(HttpStatusCode.BadRequest);

        Assert.Equal("invalid_segments.kind", code);
    }

    [Fact]
    public async Task Advance_ByHost_EveryoneSeesNextSegmentAndRemainingTime()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);
        server.Clock.Advance(TimeSpan.FromMinutes(42));
        var before = (await Api.GetAsync(s.Teacher, $"{s.Url}/live")).Expect(HttpStatusCode.OK);
        Assert.Equal(-120, before.GetProperty("currentSegment").GetProperty("remainingSeconds").GetDouble());
        Assert.True(before.GetProperty("currentSegment").GetProperty("overrun").GetBoolean());

        (await Api.PostAsync(s.Researcher, $"{s.Url}/segments/advance")).Expect(HttpStatusCode.OK);
        server.Clock.Advance(TimeSpan.FromMinutes(5));

        var after = (await Api.GetAsync(s.Teacher, $"{s.Url}/live")).Expect(HttpStatusCode.OK);
        Assert.Equal("review", after.GetProperty("currentSegment").GetProperty("kind").GetString());
        Assert.Equal(25 * 60, after.GetProperty("currentSegment").GetProperty("remainingSeconds").GetDouble());
    }

    [Fact]
    public async Task Advance_ByNonHost_ForbiddenAndSegmentUnchanged()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);

        var code = (await Api.PostAsync(s.Teacher, $"{s.Url}/segments/advance")).ExpectError(HttpStatusCode.Forbidden);

        Assert.Equal("not_host", code);
        var live = (await Api.GetAsync(s.Researcher, $"{s.Url}/live")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, live.GetProperty("currentSegment").GetProperty("index").GetInt32());
    }

    [Fact]
    public async Task Grant_ByNonHost_ForbiddenThenHostGrantSucceeds()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);
        (await Api.PostAsync(s.Teacher, $"{s.Url}/join")).Expect(HttpStatusCode.OK);
        (await Api.PostAsync(s.Teacher, $"{s.Url}/floor/request")).Expect(HttpStatusCode.OK);

        var code = (await Api.PostAsync(s.Observer, $"{s.Url}/floor/grant", new { personId = s.TeacherId })).ExpectError(HttpStatusCode.Forbidden);
        var granted = (await Api.PostAsync(s.Researcher, $"{s.Url}/floor/grant", new { personId = s.TeacherId })).Expect(HttpStatusCode.OK);

        Assert.Equal("not_host", code);
        Assert.Equal(s.TeacherId, granted.GetProperty("speaker").GetProperty("personId").GetGuid());
        Assert.Equal(120, granted.GetProperty("speaker").GetProperty("remainingSeconds").GetDouble());
    }

    [Fact]
    public async Task FloorRequest_ByObserver_Forbidden()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);
        (await Api.PostAsync(s.Observer, $"{s.Url}/join")).Expect(HttpStatusCode.OK);

        var code = (await Api.PostAsync(s.Observer, $"{s.Url}/floor/request")).ExpectError(HttpStatusCode.Forbidden);

        Assert.Equal("observer_cannot_speak", code);
    }

    [Fact]
    public async Task Playback_ByHost_AllSeeRecordingPositionAndServerTime()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);

        (await Api.PutAsync(s.Researcher, $"{s.Url}/playback", new { recordingId = s.RecordingId, playing = true, positionSeconds = 300 })).Expect(HttpStatusCode.OK);
        server.Clock.Advance(TimeSpan.FromSeconds(7));

        var live = (await Api.GetAsync(s.Teacher, $"{s.Url}/live")).Expect(HttpStatusCode.OK);
        var playback = live.GetProperty("playback");
        Assert.Equal(s.RecordingId, playback.GetProperty("recordingId").GetGuid());
        Assert.True(playback.GetProperty("playing").GetBoolean());
        var position = playback.GetProperty("positionSeconds").GetDouble()
            + (live.GetProperty("serverTime").GetDateTimeOffset() - playback.GetProperty("atServerTime").GetDateTimeOffset()).TotalSeconds;
        Assert.Equal(307, position);
        var code = (await Api.PutAsync(s.Researcher, $"{s.Url}/playback", new { recordingId = Guid.NewGuid(), playing = false, positionSeconds = 0 })).ExpectError(HttpStatusCode.NotFound);
        Assert.Equal("recording_not_found", code);
    }

    [Fact]
    public async Task UpdateRubric_BeforeStartAllowedAfterStartLocked()
    {
        var s = await ResearchSessionScenario.CreateAsync(server, start: false);
        var rubric = new
        {
            name = "自定义评价表",
            scaleMin = 0,
            scaleMax = 10,
            criteria = new[] { new { key = "design", name = "教学设计", weight = 50.0 }, new { key = "effect", name = "教学效果", weight = 50.0 } },
        };

        (await Api.PutAsync(s.Researcher, $"{s.Url}/rubric", rubric)).Expect(HttpStatusCode.OK);
        (await Api.PostAsync(s.Researcher, $"{s.Url}/start")).Expect(HttpStatusCode.OK);
        var code = (await Api.PutAsync(s.Researcher, $"{s.Url}/rubric", new { templateId = "00000000-0000-7000-8000-00000000a002" })).ExpectError(HttpStatusCode.Conflict);

        Assert.Equal("rubric_locked", code);
        var session = (await Api.GetAsync(s.Teacher, s.Url)).Expect(HttpStatusCode.OK);
        Assert.Equal(10, session.GetProperty("rubric").GetProperty("scaleMax").GetInt32());
        (await Api.PutAsync(s.Teacher, $"{s.LessonUrl}/scores/me", new { scores = new { design = 9.5 } })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ReplaceAgenda_AfterEarlyLiveViewBeforeStart_NewAgendaRunsAndLockedOnceStarted()
    {
        var s = await ResearchSessionScenario.CreateAsync(server, start: false);
        (await Api.GetAsync(s.Teacher, $"{s.Url}/live")).Expect(HttpStatusCode.OK);

        (await Api.PutAsync(s.Researcher, $"{s.Url}/agenda", new { segments = new[] { new { kind = "lesson_talk", title = "说课", plannedMinutes = 10 } } })).Expect(HttpStatusCode.OK);
        var started = (await Api.PostAsync(s.Researcher, $"{s.Url}/start")).Expect(HttpStatusCode.OK);
        var code = (await Api.PutAsync(s.Researcher, $"{s.Url}/agenda", new { segments = new[] { new { kind = "free", plannedMinutes = 5 } } })).ExpectError(HttpStatusCode.Conflict);

        Assert.Equal("lesson_talk", started.GetProperty("currentSegment").GetProperty("kind").GetString());
        Assert.Equal(1, started.GetProperty("segmentCount").GetInt32());
        Assert.Equal(600, started.GetProperty("currentSegment").GetProperty("remainingSeconds").GetDouble());
        Assert.Equal("agenda_locked", code);
    }

    [Fact]
    public async Task Cancel_BeforeStart_LiveCallsRefusedAndStartedSessionCannotBeCancelled()
    {
        var planned = await ResearchSessionScenario.CreateAsync(server, start: false);
        var running = await ResearchSessionScenario.CreateAsync(server);

        var cancelled = (await Api.PostAsync(planned.Researcher, $"{planned.Url}/cancel")).Expect(HttpStatusCode.OK);
        var join = (await Api.PostAsync(planned.Teacher, $"{planned.Url}/join")).ExpectError(HttpStatusCode.Conflict);
        var late = (await Api.PostAsync(running.Researcher, $"{running.Url}/cancel")).ExpectError(HttpStatusCode.Conflict);

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("session_cancelled", join);
        Assert.Equal("already_started", late);
    }

    [Fact]
    public async Task Participation_AfterSession_CreditsMinutesInSegmentsWithEvidence()
    {
        var start = server.Clock.GetUtcNow();
        var s = await ResearchSessionScenario.CreateAsync(server, start: false,
            segments: [new { kind = "lesson_talk", title = "说课", plannedMinutes = 15 }, new { kind = "review", title = "评课", plannedMinutes = 30 }]);
        // The teacher is there five minutes early; only time inside run segments counts.
        (await Api.PostAsync(s.Teacher, $"{s.Url}/join")).Expect(HttpStatusCode.OK);
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        (await Api.PostAsync(s.Researcher, $"{s.Url}/join")).Expect(HttpStatusCode.OK);
        (await Api.PostAsync(s.Researcher, $"{s.Url}/start")).Expect(HttpStatusCode.OK);
        server.Clock.Advance(TimeSpan.FromMinutes(15));
        (await Api.PostAsync(s.Researcher, $"{s.Url}/segments/advance")).Expect(HttpStatusCode.OK);
        (await Api.PostAsync(s.Teacher, $"{s.Url}/floor/request")).Expect(HttpStatusCode.OK);
        (await Api.PostAsync(s.Researcher, $"{s.Url}/floor/grant", new { personId = s.TeacherId })).Expect(HttpStatusCode.OK);
        server.Clock.Advance(TimeSpan.FromSeconds(90));
        (await Api.PostAsync(s.Researcher, $"{s.Url}/floor/end")).Expect(HttpStatusCode.OK);
        (await Api.PostAsync(s.Teacher, $"{s.LessonUrl}/comments", new { offsetSeconds = 60, body = "问题设计有层次" })).Expect(HttpStatusCode.Created);
        server.Clock.Advance(TimeSpan.FromSeconds(510));
        (await Api.PostAsync(s.Teacher, $"{s.Url}/leave")).Expect(HttpStatusCode.OK);
        // The observer comes for the last ten minutes of the review.
        (await Api.PostAsync(s.Observer, $"{s.Url}/join")).Expect(HttpStatusCode.OK);
        server.Clock.Advance(TimeSpan.FromMinutes(10));
        var during = (await Api.GetAsync(s.Teacher, $"/api/research/participation?from={Uri.EscapeDataString(start.AddHours(-1).ToString("O"))}")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, during.GetProperty("creditedMinutes").GetInt32());
        (await Api.PostAsync(s.Researcher, $"{s.Url}/end")).Expect(HttpStatusCode.OK);

        var session = (await Api.GetAsync(s.Researcher, $"{s.Url}/participation")).Expect(HttpStatusCode.OK);
        var people = session.GetProperty("people").EnumerateArray().ToList();
        var teacher = people.Single(p => p.GetProperty("personId").GetGuid() == s.TeacherId);
        var observer = people.Single(p => p.GetProperty("personId").GetGuid() == s.ObserverId);
        Assert.Equal(25, teacher.GetProperty("creditedMinutes").GetInt32());
        Assert.Equal(90, teacher.GetProperty("spokeSeconds").GetDouble());
        Assert.Equal(1, teacher.GetProperty("comments").GetInt32());
        Assert.Equal([900.0, 600.0], teacher.GetProperty("segments").EnumerateArray().Select(x => x.GetProperty("attendedSeconds").GetDouble()));
        Assert.Equal(10, observer.GetProperty("creditedMinutes").GetInt32());

        var hours = (await Api.GetAsync(s.Teacher, $"/api/research/participation?from={Uri.EscapeDataString(start.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(start.AddHours(1).ToString("O"))}"))
            .Expect(HttpStatusCode.OK);
        var mine = hours.GetProperty("sessions").EnumerateArray().Single(x => x.GetProperty("sessionId").GetGuid() == s.SessionId);
        Assert.Equal(25, mine.GetProperty("evidence").GetProperty("creditedMinutes").GetInt32());
        var outsider = (await Api.GetAsync(s.Outsider, $"/api/research/participation?personId={s.TeacherId}")).ExpectError(HttpStatusCode.Forbidden);
        Assert.Equal("not_supervisor", outsider);
        var supervised = (await Api.GetAsync(s.Researcher, $"/api/research/participation?personId={s.TeacherId}&from={Uri.EscapeDataString(start.AddHours(-1).ToString("O"))}")).Expect(HttpStatusCode.OK);
        Assert.True(supervised.GetProperty("creditedMinutes").GetInt32() >= 25);
    }
}
