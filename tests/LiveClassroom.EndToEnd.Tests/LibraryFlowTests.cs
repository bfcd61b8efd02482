using System.Diagnostics;
using System.Globalization;
using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>
/// The resource library through the browser only: a class taught with a fake camera is recorded (the projector shows
/// ● 录制中), the teacher describes and submits it under 我的录课, the school admin returns it with a reason, the teacher
/// resubmits, the school and county admins approve in 审核, a teacher of another school finds it in 资源库 by a Chinese
/// title fragment and filters, plays it, jumps to a chapter and rates it, the ranking lists it, and the county admin's
/// 下架 removes it from search and stops its playback URL. The API is read only to wait for the finalize job and to
/// name the recording on the page.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LibraryFlowTests(EndToEndFixture fx, ITestOutputHelper output)
{
    private static readonly TimeSpan RecordFor = TimeSpan.FromSeconds(8);

    private const string VideoTime = "document.querySelector('[data-testid=player-video]').currentTime";

    [Fact]
    public async Task RecordedClass_ReviewedPublishedWatchedRatedAndTakenDown_ThroughTheUi()
    {
        var tag = fx.NextTag();
        var scenario = await fx.Api.CreateScenarioAsync(tag, ruralCount: 1);
        var (teacherToken, _) = await fx.Api.LoginAsync("teacher");
        var recordingId = await TeachRecordedClassAsync(scenario);
        var done = await ClassMedia.PollAsync(() => fx.Api.SendAsync(HttpMethod.Get, $"/api/recordings/{recordingId}", teacherToken),
            r => r["recording"]!["status"]!.GetValue<string>() is "ready" or "failed" && r["resourceId"] is not null,
            TimeSpan.FromSeconds(120), "the finalize job");
        Assert.Equal("ready", done["recording"]!["status"]!.GetValue<string>());
        var hand = done["chapters"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "hand_raised")!["offsetSeconds"]!.GetValue<double>();

        var title = $"荷花{tag}课例";
        await using var teacher = await fx.LaunchAsync(fakeMedia: false);
        await teacher.LoginAsync("teacher");
        var item = await DescribeAndSubmitAsync(teacher, recordingId, title, chapter: "第一单元");
        await teacher.ScreenshotAsync("library-mine");

        // 退回 with a reason: the teacher sees it, edits, resubmits.
        await using var schoolAdmin = await fx.LaunchAsync(fakeMedia: false);
        await schoolAdmin.LoginAsync("schooladmin");
        await OpenInQueueAsync(schoolAdmin, title);
        await schoolAdmin.Page.GetByTestId("review-reject").ClickAsync();
        await Expect(schoolAdmin.Page.GetByText("请填写退回理由。")).ToBeVisibleAsync();
        await schoolAdmin.Page.GetByTestId("review-reason").FillAsync("请把章节写完整：第几课");
        await schoolAdmin.ScreenshotAsync("library-review");
        await schoolAdmin.Page.GetByTestId("review-reject").ClickAsync();
        await Expect(schoolAdmin.Page.GetByTestId("review-done")).ToBeVisibleAsync();

        await teacher.Page.ReloadAsync();
        await Expect(item.GetByTestId("resource-status")).ToHaveTextAsync("已退回");
        await Expect(item.GetByTestId("mine-reason")).ToContainTextAsync("请把章节写完整：第几课");
        await item.GetByTestId("mine-edit").ClickAsync();
        await item.GetByTestId("edit-chapter").FillAsync("第一单元 第3课 荷花");
        await item.GetByTestId("edit-submit").ClickAsync();
        await Expect(item.GetByTestId("resource-status")).ToHaveTextAsync("待学校审核");

        // School, then county approval, each from its 审核 queue.
        await OpenInQueueAsync(schoolAdmin, title);
        await schoolAdmin.Page.GetByTestId("review-approve").ClickAsync();
        await Expect(schoolAdmin.Page.GetByTestId("review-done")).ToBeVisibleAsync();
        await using var county = await fx.LaunchAsync(fakeMedia: false);
        await county.LoginAsync("admin");
        await OpenInQueueAsync(county, title);
        await Expect(county.Page.GetByTestId("resource-status")).ToHaveTextAsync("待区县审核");
        await county.Page.GetByTestId("review-approve").ClickAsync();
        await Expect(county.Page.GetByTestId("review-done")).ToBeVisibleAsync();
        await teacher.Page.ReloadAsync();
        await Expect(item.GetByTestId("resource-status")).ToHaveTextAsync("已发布");

        // A teacher of another school finds it by a Chinese fragment of its title and the filters, plays it, rates it.
        await using var viewer = await fx.LaunchAsync(fakeMedia: false);
        await viewer.LoginAsync("assistant1");
        var resourceId = await FindInLibraryAsync(viewer, "荷花", title);
        await viewer.Page.WaitForFunctionAsync("() => document.querySelector('[data-testid=player-video]').readyState >= 1", null, new() { Timeout = 30_000 });
        await viewer.Page.GetByTestId("chapter").First.ClickAsync();
        await WaitPlayerAsync(viewer.Page, "v.currentTime > 1.5", "the video to play past 1.5 s");
        await viewer.Page.GetByTestId("chapter").Filter(new() { HasText = "举手" }).ClickAsync();
        var at = await WaitNearAsync(viewer.Page, hand);
        output.WriteLine($"hand_raised chapter at {hand:0.00} s; video at {at:0.00} s after the click");
        // It plays on from there (the hand may be raised shortly before the end).
        await viewer.Page.WaitForFunctionAsync(
            $"() => {{ const v = document.querySelector('[data-testid=player-video]'); return v.ended || v.currentTime > {(at + 0.3).ToString(CultureInfo.InvariantCulture)}; }}",
            null, new() { Timeout = 30_000, PollingInterval = 50 });
        await viewer.Page.GetByTestId("star-4").ClickAsync();
        await Expect(viewer.Page.GetByTestId("player-note")).ToHaveTextAsync("已评分：4 星");
        await Expect(viewer.Page.GetByTestId("player-stats")).ToContainTextAsync("（1 人）");
        await viewer.ScreenshotAsync("library-player");

        // The view and the rating put it into this term's ranking.
        await viewer.Page.GetByTestId("nav-library").ClickAsync();
        await viewer.Page.GetByTestId("tab-ranking").ClickAsync();
        await Expect(viewer.Page.Locator($"[data-testid=ranking-row][data-resource='{resourceId}']")).ToBeVisibleAsync();
        await viewer.ScreenshotAsync("library-ranking");

        // A short view, left by navigating away while it plays (no pause, no end, well inside one 10 s report
        // interval), still reports how far it got.
        await WatchBrieflyAndLeaveAsync(viewer, resourceId);

        // 下架: gone from search, its playlist no longer served to the viewer.
        await county.Page.GotoAsync($"/library/{resourceId}");
        await county.Page.GetByTestId("takedown").ClickAsync();
        await Expect(county.Page.GetByText("请填写下架理由。")).ToBeVisibleAsync();
        await county.Page.GetByTestId("takedown-reason").FillAsync("内容需要更新");
        await county.Page.GetByTestId("takedown").ClickAsync();
        await Expect(county.Page.GetByTestId("resource-status")).ToHaveTextAsync("已下架");

        await viewer.Page.GetByTestId("tab-search").ClickAsync();
        await viewer.Page.GetByTestId("search-q").FillAsync(title);
        await viewer.Page.GetByTestId("search-submit").ClickAsync();
        await Expect(viewer.Page.GetByTestId("library-empty")).ToBeVisibleAsync();
        viewer.ExpectFailedRequest(404);
        var status = await viewer.Page.EvaluateAsync<int>(
            "async (id) => (await fetch(`/api/library/resources/${id}/hls/index.m3u8`, { headers: { Authorization: `Bearer ${localStorage.getItem('lc.token')}` } })).status",
            resourceId);
        Assert.Equal(404, status);
        await viewer.Page.GotoAsync($"/library/{resourceId}");
        await Expect(viewer.Page.GetByTestId("player-missing")).ToBeVisibleAsync();
        await teacher.Page.ReloadAsync();
        await Expect(item.GetByTestId("resource-status")).ToHaveTextAsync("已下架");
        await Expect(item.GetByTestId("mine-reason")).ToContainTextAsync("内容需要更新");

        teacher.AssertNoConsoleErrors();
        schoolAdmin.AssertNoConsoleErrors();
        county.AssertNoConsoleErrors();
        viewer.AssertNoConsoleErrors();
    }

    /// <summary>Teaches the scenario's lesson for a few seconds with a raised hand (a chapter), ends it; the recording's id.</summary>
    private async Task<Guid> TeachRecordedClassAsync(Scenario scenario)
    {
        var deviceToken = await fx.Api.PairDeviceAsync(scenario.RuralClassrooms[0].Id, "投影电脑 资源库");
        await using var teacher = await fx.LaunchAsync();
        await using var projector = await fx.LaunchAsync();
        await ClassPages.StartProjectorAsync(projector, deviceToken);
        await ClassPages.OpenClassAsTeacherAsync(teacher, scenario);
        var classId = new Uri(teacher.Page.Url).Segments[^1].Trim('/');
        var (token, _) = await fx.Api.LoginAsync("teacher");
        var flag = await ClassMedia.PollAsync(() => fx.Api.SendAsync(HttpMethod.Get, $"/api/rooms/{classId}/recording", token),
            s => s["recording"]?.GetValue<bool>() == true, TimeSpan.FromSeconds(30), "the class to report a recording");
        var recordingId = Guid.Parse(flag["recordingId"]!.GetValue<string>());
        // The classroom knows it is being recorded: the projector asks as its device.
        await Expect(projector.Page.GetByTestId("recording-badge")).ToHaveTextAsync("● 录制中", new() { Timeout = 30_000 });
        await projector.ScreenshotAsync("library-projector-recording");
        await ClassMedia.PollAsync(() => fx.Api.SendAsync(HttpMethod.Get, $"/api/recordings/{recordingId}", token),
            r => r["recording"]!["parts"]!.GetValue<int>() >= 1, TimeSpan.FromSeconds(60), "the teacher's media to reach the recorder");
        var recording = Stopwatch.StartNew();
        // The class runs for a set time (what is recorded), the hand goes up a few seconds in: a chapter not at the start.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await projector.Page.GetByTestId("hand-button").ClickAsync();
        await Expect(teacher.Page.GetByTestId("hand-queue")).ToBeVisibleAsync();
        while (recording.Elapsed < RecordFor)
        {
            await Task.Delay(500);
        }
        await teacher.Page.GetByTestId("end-class").ClickAsync();
        await teacher.Page.GetByTestId("end-class-confirm").ClickAsync();
        await Expect(teacher.Page.GetByTestId("console-ended")).ToBeVisibleAsync();
        await Expect(projector.Page.GetByTestId("recording-badge")).ToHaveCountAsync(0);
        return recordingId;
    }

    /// <summary>我的录课: the recording's draft, described (学段/年级/学科/章节 and a title) and submitted.</summary>
    private static async Task<ILocator> DescribeAndSubmitAsync(BrowserSession teacher, Guid recordingId, string title, string chapter)
    {
        await teacher.Page.GetByTestId("nav-mine").ClickAsync();
        var item = teacher.Page.Locator($"[data-testid=mine-item][data-recording='{recordingId}']");
        await Expect(item.GetByTestId("resource-status")).ToHaveTextAsync("草稿");
        await item.GetByTestId("mine-edit").ClickAsync();
        await item.GetByTestId("edit-title").FillAsync(title);
        await item.GetByTestId("edit-stage").SelectOptionAsync("小学");
        await item.GetByTestId("edit-grade").FillAsync("三年级");
        await item.GetByTestId("edit-subject").FillAsync("语文");
        await item.GetByTestId("edit-chapter").FillAsync(chapter);
        await item.GetByTestId("edit-submit").ClickAsync();
        await Expect(item.GetByTestId("resource-status")).ToHaveTextAsync("待学校审核");
        await Expect(item.GetByTestId("mine-title")).ToHaveTextAsync(title);
        return item;
    }

    /// <summary>审核 from the navigation bar (which counts the queue), then the item with <paramref name="title"/>.</summary>
    private static async Task OpenInQueueAsync(BrowserSession reviewer, string title)
    {
        await reviewer.Page.GotoAsync("/timetable");
        await Expect(reviewer.Page.GetByTestId("review-count")).ToBeVisibleAsync();
        await reviewer.Page.GetByTestId("nav-review").ClickAsync();
        await reviewer.Page.GetByTestId("queue-item").Filter(new() { HasText = title }).GetByTestId("queue-open").ClickAsync();
        await Expect(reviewer.Page.GetByTestId("review-title")).ToHaveTextAsync(title);
    }

    /// <summary>资源库: a Chinese free-text fragment plus the 学科 and 年级 filters find exactly the one card; opens it; its id.</summary>
    private static async Task<string> FindInLibraryAsync(BrowserSession viewer, string fragment, string title)
    {
        await viewer.Page.GetByTestId("nav-library").ClickAsync();
        await Expect(viewer.Page.GetByTestId("filter-subject").Locator("option", new() { HasText = "语文" })).ToHaveCountAsync(1);
        await viewer.Page.GetByTestId("search-q").FillAsync(fragment);
        await viewer.Page.GetByTestId("filter-subject").SelectOptionAsync("语文");
        await viewer.Page.GetByTestId("filter-grade").SelectOptionAsync("三年级");
        await viewer.Page.GetByTestId("search-submit").ClickAsync();
        await Expect(viewer.Page.GetByTestId("resource-card")).ToHaveCountAsync(1);
        await Expect(viewer.Page.GetByTestId("resource-title")).ToHaveTextAsync(title);
        await viewer.ScreenshotAsync("library-search");
        var id = await viewer.Page.GetByTestId("resource-card").GetAttributeAsync("data-resource");
        await viewer.Page.GetByTestId("resource-title").ClickAsync();
        await Expect(viewer.Page.GetByTestId("player-title")).ToHaveTextAsync(title);
        return id!;
    }

    /// <summary>
    /// Plays the resource from its start for over 2 s, then leaves for 资源库 while it plays: the page reports the
    /// position on leaving and the server counts it (completion = position / duration).
    /// </summary>
    private async Task WatchBrieflyAndLeaveAsync(BrowserSession viewer, string resourceId)
    {
        var answers = new System.Collections.Concurrent.ConcurrentQueue<IResponse>();
        void OnResponse(object? sender, IResponse r)
        {
            if (r.Request.Method == "POST" && r.Url.EndsWith("/progress", StringComparison.Ordinal))
            {
                answers.Enqueue(r);
            }
        }
        viewer.Page.Response += OnResponse;
        try
        {
            await viewer.Page.GotoAsync($"/library/{resourceId}");
            await viewer.Page.WaitForFunctionAsync("() => document.querySelector('[data-testid=player-video]')?.readyState >= 1", null, new() { Timeout = 30_000 });
            await viewer.Page.GetByTestId("chapter").First.ClickAsync();
            await WaitPlayerAsync(viewer.Page, "!v.paused && !v.ended && v.currentTime > 2", "the video to play past 2 s");
            var position = await viewer.Page.EvaluateAsync<double>($"() => {VideoTime}");
            await viewer.Page.GetByTestId("nav-library").ClickAsync();
            await Expect(viewer.Page.GetByTestId("search-q")).ToBeVisibleAsync();
            var deadline = Stopwatch.StartNew();
            double reported = 0;
            while (reported < position && deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                foreach (var r in answers.ToArray())
                {
                    var body = System.Text.Json.JsonDocument.Parse(r.Request.PostData ?? "{}").RootElement;
                    if (r.Status == 200 && body.TryGetProperty("positionSeconds", out var p))
                    {
                        reported = Math.Max(reported, p.GetDouble());
                    }
                }
                await viewer.Page.WaitForTimeoutAsync(100);
            }
            output.WriteLine($"left the player at {position:0.00} s; furthest position reported {reported:0.00} s in {answers.Count} report(s)");
            Assert.True(reported >= position, $"left at {position:0.00} s but the furthest position the server got was {reported:0.00} s");
        }
        finally
        {
            viewer.Page.Response -= OnResponse;
        }
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> (JavaScript over the player's video element <c>v</c>) holds; on timeout
    /// the failure names what the video was doing (paused, ended, media error code, what was buffered).
    /// </summary>
    private static async Task WaitPlayerAsync(IPage page, string condition, string what)
    {
        try
        {
            await page.WaitForFunctionAsync($"() => {{ const v = document.querySelector('[data-testid=player-video]'); return !!v && ({condition}); }}",
                null, new() { Timeout = 30_000, PollingInterval = 50 });
        }
        catch (TimeoutException)
        {
            var state = await page.EvaluateAsync<string>(
                "() => { const v = document.querySelector('[data-testid=player-video]'); return v ? JSON.stringify({ paused: v.paused, " +
                "currentTime: v.currentTime, duration: v.duration, ended: v.ended, readyState: v.readyState, mediaError: v.error && v.error.code, " +
                "bufferedTo: v.buffered.length ? v.buffered.end(v.buffered.length - 1) : null }) : 'no video element'; }");
            throw new TimeoutException($"waited 30 s for {what}; the video: {state}");
        }
    }

    /// <summary>Waits until the player has sought to within 1 s of <paramref name="target"/>; the position it saw.</summary>
    private static async Task<double> WaitNearAsync(IPage page, double target)
    {
        var t = target.ToString(CultureInfo.InvariantCulture);
        var handle = await page.WaitForFunctionAsync(
            $"() => {{ const v = document.querySelector('[data-testid=player-video]'); return !v.seeking && Math.abs(v.currentTime - {t}) <= 1 ? v.currentTime : null; }}",
            null, new() { Timeout = 20_000, PollingInterval = 20 });
        return await handle.JsonValueAsync<double>();
    }
}
