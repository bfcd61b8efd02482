using System.Globalization;
using System.Text.Json.Nodes;
using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>
/// A live teaching-research session (评课) in four real Chromiums: the researcher hosts, a teacher speaks, two
/// observers score and comment on a lesson recording; the report shows the averages and its comment links open the
/// recording at the comment's second. docs/HUB-RESEARCH.md names the page hooks.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ResearchSessionTests(EndToEndFixture fx)
{
    private const int RecordingSeconds = 90;

    // Rubric 课堂教学评价表（通用）, scale 1–5: criterion → (weight, observer 1's score, observer 2's score).
    private static readonly (string Key, int Weight, double First, double Second)[] Scores =
    [
        ("goals", 15, 4, 5),
        ("process", 30, 3.5, 4.5),
        ("engagement", 25, 4, 3),
        ("technology", 10, 5, 4),
        ("outcome", 20, 4, 4.5),
    ];

    /// <summary>Counts every RTCPeerConnection the page makes, so a test can read what a receiver got.</summary>
    private const string TrackPeerConnections = """
        (() => {
          const Original = window.RTCPeerConnection;
          window.__pcs = [];
          const Tracked = function (...args) { const pc = new Original(...args); window.__pcs.push(pc); return pc; };
          Tracked.prototype = Original.prototype;
          Object.setPrototypeOf(Tracked, Original);
          window.RTCPeerConnection = Tracked;
        })();
        """;

    /// <summary>RTP packets received for the track an element plays (−1 while it plays nothing).</summary>
    private const string PacketsForElement = """
        async (testId) => {
          const el = document.querySelector(`[data-testid=${testId}]`);
          const track = el && el.srcObject && el.srcObject.getTracks()[0];
          if (!track) return -1;
          let packets = 0;
          for (const pc of window.__pcs || []) {
            for (const r of pc.getReceivers()) {
              if (r.track !== track) continue;
              (await r.getStats()).forEach(s => { if (s.type === 'inbound-rtp') packets += s.packetsReceived || 0; });
            }
          }
          return packets;
        }
        """;

    [Fact]
    public async Task LessonReview_HostAndThreeParticipants_SegmentsSpeakerScoresReportAndLinks()
    {
        var tag = fx.NextTag();
        var (researcherToken, researcher) = await fx.Api.LoginAsync("researcher");
        var (_, teacher) = await fx.Api.LoginAsync("teacher");
        var (observer1Token, observer1) = await fx.Api.LoginAsync("assistant1");
        var (observer2Token, observer2) = await fx.Api.LoginAsync("assistant2");
        var recordingId = await FinishedRecording.CreateAsync(fx.Server, Guid.Parse(Text(teacher, "organisationId")), Guid.Parse(Text(teacher, "id")), RecordingSeconds);

        var session = await fx.Api.SendAsync(HttpMethod.Post, "/api/research/sessions", researcherToken, new
        {
            title = $"{tag} 三年级语文《荷花》评课",
            kind = "lesson_review",
            subject = "语文",
            stage = "primary",
            grade = "三年级",
            chapter = "第一单元 荷花",
            scheduledStart = DateTimeOffset.UtcNow,
            segments = new object[]
            {
                new { kind = "lesson_talk", title = "说课", plannedMinutes = 15 },
                new { kind = "review", title = "评课", plannedMinutes = 30 },
                new { kind = "summary", title = "总结", plannedMinutes = 10 },
            },
            invitations = new object[]
            {
                new { personId = Text(teacher, "id"), role = "participant" },
                new { personId = Text(observer1, "id"), role = "observer" },
                new { personId = Text(observer2, "id"), role = "observer" },
            },
        });
        var sessionId = Text(session, "id");
        var lesson = await fx.Api.SendAsync(HttpMethod.Post, $"/api/research/sessions/{sessionId}/lessons", researcherToken,
            new { title = "《荷花》第一课时", teacherName = Text(teacher, "displayName"), recordingId });
        var lessonId = Text(lesson, "id");

        await using var host = await OpenRoomAsync("researcher", sessionId);
        await using var speaker = await OpenRoomAsync("teacher", sessionId);
        await using var first = await OpenRoomAsync("assistant1", sessionId);
        await using var second = await OpenRoomAsync("assistant2", sessionId);
        var everyone = new[] { host, speaker, first, second };

        // The agenda: the host starts, everyone sees the first segment and its time running down.
        await host.Page.GetByTestId("btn-start").ClickAsync();
        foreach (var b in everyone)
        {
            await Expect(b.Page.GetByTestId("segment-title")).ToHaveTextAsync("说课");
            await Expect(b.Page.GetByTestId("segment-index")).ToHaveTextAsync("1 / 3");
        }
        var remaining = await speaker.Page.GetByTestId("segment-remaining").TextContentAsync() ?? "";
        Assert.Matches(@"^1[45]:\d\d$", remaining.Trim());
        await speaker.Page.WaitForFunctionAsync("r => document.querySelector('[data-testid=segment-remaining]').textContent.trim() !== r", remaining.Trim());
        await Expect(first.Page.GetByTestId("my-role")).ToContainTextAsync("观察员");
        // Observers are not seen: no tile for them anywhere, the host counts them.
        await Expect(host.Page.GetByTestId("observer-count")).ToContainTextAsync("2");
        await Expect(speaker.Page.Locator($"[data-testid=tile][data-person-id='{Text(observer1, "id")}']")).ToHaveCountAsync(0);
        await Expect(speaker.Page.Locator($"[data-testid=person][data-person-id='{Text(observer1, "id")}']")).ToHaveCountAsync(0);
        await Expect(first.Page.Locator($"[data-testid=person][data-person-id='{Text(teacher, "id")}']")).ToContainTextAsync("参与");

        // The floor: the teacher asks, the host grants, the others hear the teacher.
        await speaker.Page.GetByTestId("btn-request-floor").ClickAsync();
        var queued = host.Page.Locator($"[data-testid=queue-item][data-person-id='{Text(teacher, "id")}']");
        await queued.GetByTestId("btn-grant").ClickAsync();
        foreach (var b in everyone)
        {
            await Expect(b.Page.GetByTestId("speaker-name")).ToContainTextAsync(Text(teacher, "displayName"));
        }
        foreach (var listener in new[] { host, first })
        {
            await PageWait.UntilAsync(listener.Page, $"async () => (await ({PacketsForElement})('audio-speaker')) > 50", null, TimeSpan.FromSeconds(30));
            var before = await listener.Page.EvaluateAsync<int>(PacketsForElement, "audio-speaker");
            await PageWait.UntilAsync(listener.Page, $"async () => (await ({PacketsForElement})('audio-speaker')) > {before + 25}", null, TimeSpan.FromSeconds(15));
        }
        await first.Page.WaitForFunctionAsync("() => { const v = document.querySelector('[data-testid=video-speaker]'); return v && v.currentTime > 1; }",
            null, new() { Timeout = 30_000 });
        await host.ScreenshotAsync("research-host-speaker");
        await host.Page.GetByTestId("btn-end-turn").ClickAsync();
        await Expect(first.Page.GetByTestId("speaker-name")).ToHaveCountAsync(0);
        await first.Page.WaitForFunctionAsync("() => !document.querySelector('[data-testid=audio-speaker]')?.srcObject");

        await host.Page.GetByTestId("btn-advance").ClickAsync();
        foreach (var b in everyone)
        {
            await Expect(b.Page.GetByTestId("segment-title")).ToHaveTextAsync("评课");
            await Expect(b.Page.GetByTestId("segment-index")).ToHaveTextAsync("2 / 3");
        }

        // The host shares the lesson recording; everyone's player follows: playing, then paused where the host paused.
        await host.Page.GetByTestId("playback-select").SelectOptionAsync(recordingId.ToString());
        await host.Page.GetByTestId("btn-share-playback").ClickAsync();
        // The host's own video too: pausing a video that has not started yet fires no pause event, so nothing would be sent.
        foreach (var b in everyone)
        {
            await b.Page.WaitForFunctionAsync("() => { const v = document.querySelector('[data-testid=playback-video]'); return v && !v.paused && v.currentTime > 1; }",
                null, new() { Timeout = 30_000 });
        }
        await host.Page.EvaluateAsync("() => { const v = document.querySelector('[data-testid=playback-video]'); v.pause(); }");
        var paused = await WaitPausedAsync(host.Page);
        foreach (var b in new[] { first, second })
        {
            await b.Page.WaitForFunctionAsync(
                "at => { const v = document.querySelector('[data-testid=playback-video]'); return v && v.paused && Math.abs(v.currentTime - at) < 1.5; }",
                paused, new() { Timeout = 20_000 });
        }

        // Scoring and comments by the two observers on the lesson.
        await ScoreAsync(first, lessonId, s => s.First, observer1Token, sessionId);
        await ScoreAsync(second, lessonId, s => s.Second, observer2Token, sessionId);
        await CommentAsync(first, 42, "导入环节用荷花图片激发兴趣，效果好。");
        await CommentAsync(second, 75, "朗读指导可以再具体一些。");

        // A score off the scale is refused with the server's reason; the saved sheet is untouched.
        first.ExpectFailedRequest(400);
        await first.Page.Locator("[data-testid=score-input][data-criterion=goals]").FillAsync("9");
        await Expect(first.Page.GetByTestId("error-banner")).ToContainTextAsync("1");
        var sheet = await fx.Api.SendAsync(HttpMethod.Get, $"/api/research/sessions/{sessionId}/lessons/{lessonId}/scores/me", observer1Token);
        Assert.Equal(4, sheet["scores"]!["goals"]!.GetValue<double>());

        await first.ScreenshotAsync("research-observer");

        // The host ends the session: everyone sees it ended, and the participation record is verified.
        await host.Page.GetByTestId("btn-end").ClickAsync();
        foreach (var b in everyone)
        {
            await Expect(b.Page.GetByTestId("session-status")).ToHaveTextAsync("已结束");
        }

        // The report: per-criterion figures from both sheets, and the weighted total.
        await host.Page.GotoAsync($"/research/{sessionId}/lessons/{lessonId}/report");
        foreach (var (key, _, a, b) in Scores)
        {
            var row = host.Page.Locator($"[data-testid=report-criterion][data-criterion={key}]");
            await Expect(row.GetByTestId("criterion-mean")).ToHaveTextAsync(Number((a + b) / 2));
            await Expect(row.GetByTestId("criterion-count")).ToHaveTextAsync("2");
            await Expect(row.GetByTestId("criterion-min")).ToHaveTextAsync(Number(Math.Min(a, b)));
            await Expect(row.GetByTestId("criterion-max")).ToHaveTextAsync(Number(Math.Max(a, b)));
            await Expect(row.GetByTestId("criterion-stddev")).ToHaveTextAsync(Number(Math.Abs(a - b) / 2));
        }
        var total = Scores.Sum(s => s.Weight * ((s.First + s.Second) / 2) / 5) / Scores.Sum(s => s.Weight) * 100;
        await Expect(host.Page.GetByTestId("weighted-total")).ToContainTextAsync(Number(total));
        var comments = host.Page.GetByTestId("report-comment");
        await Expect(comments).ToHaveCountAsync(2);
        await Expect(comments.Nth(0)).ToContainTextAsync("00:42");
        await Expect(comments.Nth(1)).ToContainTextAsync("01:15");
        await host.ScreenshotAsync("research-report");

        // The first comment's link opens the recording at its second.
        await comments.Nth(0).GetByTestId("comment-link").ClickAsync();
        await Expect(host.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/research/{sessionId}/lessons/{lessonId}/watch\\?t=42$"));
        await host.Page.WaitForFunctionAsync("() => { const v = document.querySelector('[data-testid=watch-video]'); return v && v.readyState >= 1 && Math.abs(v.currentTime - 42) < 1.5; }",
            null, new() { Timeout = 30_000 });
        await host.ScreenshotAsync("research-watch");

        // Participation: who spoke and who scored is on record.
        var participation = await fx.Api.SendAsync(HttpMethod.Get, $"/api/research/sessions/{sessionId}/participation", researcherToken);
        Assert.Equal("ended", participation["status"]!.GetValue<string>());
        var people = participation["people"]!.AsArray();
        Assert.All(people, p => Assert.True(p!["verified"]!.GetValue<bool>()));
        Assert.Equal(1, Person(people, teacher)["speakingTurns"]!.GetValue<int>());
        Assert.Equal(1, Person(people, observer1)["lessonsScored"]!.GetValue<int>());
        Assert.Equal(1, Person(people, observer2)["comments"]!.GetValue<int>());

        foreach (var b in everyone)
        {
            b.AssertNoConsoleErrors();
        }
    }

    [Fact]
    public async Task SignallingDrop_ParticipantRejoins_SameMediaConnectionAndVideoFlowsAgain()
    {
        var tag = fx.NextTag();
        var (researcherToken, _) = await fx.Api.LoginAsync("researcher");
        var (_, teacher) = await fx.Api.LoginAsync("teacher");
        var teacherId = Text(teacher, "id");
        var session = await fx.Api.SendAsync(HttpMethod.Post, "/api/research/sessions", researcherToken, new
        {
            title = $"{tag} 说课",
            kind = "lesson_talk",
            subject = "数学",
            stage = "primary",
            scheduledStart = DateTimeOffset.UtcNow,
            segments = new[] { new { kind = "lesson_talk", plannedMinutes = 20 } },
            invitations = new[] { new { personId = teacherId, role = "participant" } },
        });
        var sessionId = Text(session, "id");
        await fx.Api.SendAsync(HttpMethod.Post, $"/api/research/sessions/{sessionId}/start", researcherToken);

        await using var host = await OpenRoomAsync("researcher", sessionId);
        await using var participant = await OpenRoomAsync("teacher", sessionId);
        var tileVideo = $"[data-testid=tile][data-person-id='{teacherId}'] video";
        await host.Page.WaitForFunctionAsync("s => { const v = document.querySelector(s); return v && v.currentTime > 1; }", tileVideo, new() { Timeout = 30_000 });
        await participant.Page.WaitForFunctionAsync("() => { const v = document.querySelector('[data-testid=video-host]'); return v && v.currentTime > 1; }",
            null, new() { Timeout = 30_000 });

        // The participant's signalling connection drops (the media path stays up); the page rejoins by itself.
        var ufrag = await participant.Page.EvaluateAsync<string>(DropSignalling);
        // Rejoined and renegotiated with an ICE restart on the same peer connection: the SFU kept the peer through the
        // reconnect grace, so the page did not have to rebuild it.
        await participant.Page.WaitForFunctionAsync(RejoinedOnSamePeer, ufrag, new() { Timeout = 30_000 });
        var hostSees = await host.Page.EvaluateAsync<double>("s => document.querySelector(s)?.currentTime ?? 0", tileVideo);
        await host.Page.WaitForFunctionAsync("([s, t]) => { const v = document.querySelector(s); return v && v.currentTime > t + 2; }",
            new object[] { tileVideo, hostSees }, new() { Timeout = 30_000 });
        var participantSees = await participant.Page.EvaluateAsync<double>("() => document.querySelector('[data-testid=video-host]').currentTime");
        await participant.Page.WaitForFunctionAsync("t => document.querySelector('[data-testid=video-host]').currentTime > t + 2", participantSees,
            new() { Timeout = 30_000 });
        host.AssertNoConsoleErrors();
        participant.AssertNoConsoleErrors();
    }

    /// <summary>Stops the page's hub connection as a network drop would end it; answers the ICE ufrag in use before.</summary>
    private const string DropSignalling = """
        async () => {
          const live = window.lcResearch;
          window.__pcBefore = live.media.pc;
          const ufrag = live.media.pc.localDescription.sdp.match(/a=ice-ufrag:(\S+)/)[1];
          await live.hub.conn.stop();
          return ufrag;
        }
        """;

    private const string RejoinedOnSamePeer = """
        (before) => {
          const live = window.lcResearch;
          const pc = live.media.pc;
          const sdp = pc.localDescription && pc.localDescription.sdp;
          return live.hub.status === 'connected' && pc === window.__pcBefore && pc.connectionState === 'connected'
            && !!sdp && !sdp.includes('a=ice-ufrag:' + before + '\r');
        }
        """;

    /// <summary>The host's player position once the pause has reached the server (its snapshot says not playing).</summary>
    private static async Task<double> WaitPausedAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => window.lcResearch && window.lcResearch.hub.snapshot.playback && !window.lcResearch.hub.snapshot.playback.playing",
            null, new() { Timeout = 20_000 });
        return await page.EvaluateAsync<double>("() => window.lcResearch.hub.snapshot.playback.positionSeconds");
    }

    private async Task<BrowserSession> OpenRoomAsync(string username, string sessionId)
    {
        var b = await fx.LaunchAsync();
        await b.Context.AddInitScriptAsync(TrackPeerConnections);
        await b.LoginAsync(username);
        await b.Page.GotoAsync($"/research/{sessionId}");
        await Expect(b.Page.GetByTestId("my-role")).ToBeVisibleAsync();
        return b;
    }

    private async Task ScoreAsync(BrowserSession b, string lessonId, Func<(string Key, int Weight, double First, double Second), double> pick,
        string token, string sessionId)
    {
        await SelectLessonAsync(b, lessonId);
        foreach (var s in Scores)
        {
            await b.Page.Locator($"[data-testid=score-input][data-criterion={s.Key}]").FillAsync(Number(pick(s)));
        }
        await Expect(b.Page.GetByTestId("score-saved")).ToBeVisibleAsync();
        // Autosave is debounced: the sheet on the server is what counts.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var sheet = await fx.Api.SendAsync(HttpMethod.Get, $"/api/research/sessions/{sessionId}/lessons/{lessonId}/scores/me", token);
            if (Scores.All(s => sheet["scores"]?[s.Key]?.GetValue<double>() == pick(s)))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "the score sheet was not saved: " + sheet.ToJsonString());
            await Task.Delay(250);
        }
    }

    private static async Task SelectLessonAsync(BrowserSession b, string lessonId)
    {
        var select = b.Page.GetByTestId("lesson-select");
        if (await select.EvaluateAsync<string>("e => e.tagName") == "SELECT")
        {
            await select.SelectOptionAsync(lessonId);
        }
    }

    private static async Task CommentAsync(BrowserSession b, int offsetSeconds, string body)
    {
        var form = b.Page.GetByTestId("comment-form");
        await form.GetByTestId("comment-offset").FillAsync(offsetSeconds.ToString(CultureInfo.InvariantCulture));
        await form.GetByTestId("comment-body").FillAsync(body);
        await form.GetByTestId("btn-comment").ClickAsync();
        await Expect(b.Page.GetByTestId("comment-list")).ToContainTextAsync(body);
    }

    private static JsonNode Person(JsonArray people, JsonNode who) =>
        people.FirstOrDefault(p => p!["personId"]!.GetValue<string>() == Text(who, "id"))
        ?? throw new InvalidOperationException($"{Text(who, "displayName")} is missing from the participation record");

    private static string Text(JsonNode node, string name) => node[name]!.GetValue<string>();

    /// <summary>As the report shows a figure: rounded to 2 decimals, no trailing zeros.</summary>
    private static string Number(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("0.##", CultureInfo.InvariantCulture);
}
