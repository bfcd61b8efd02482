using System.Diagnostics;
using System.Globalization;
using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>
/// A class survives a page coming back mid-class (issue #14): a projector reloaded, the teacher's console reloaded,
/// a second tab of the teacher's account. Each prints how long after the page loaded frames decode again (targets:
/// ≤ 3 s; printed, never asserted) and asserts that they do, and that the recording covers the class except the gap.
/// Needs the real media plane, Chromium and ffmpeg.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RejoinTests(EndToEndFixture fx, ITestOutputHelper output)
{
    private static readonly TimeSpan MediaDeadline = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task ProjectorReload_MidClass_TeacherVideoDecodesAgain()
    {
        await using var c = await LiveClassAsync(projectors: 1);
        var projector = c.Projectors[0].Page;

        await projector.ReloadAsync();
        var back = await ClassMedia.WaitFramesAsync(projector, "main", 0, MediaDeadline);
        output.WriteLine(Figure($"projector reload: teacher video decoding again {back.TotalSeconds:0.00} s after the reloaded page loaded (target ≤ 3 s)"));
        await ClassMedia.WaitFramesAsync(projector, "main", 20, MediaDeadline);
        await Expect(projector.GetByTestId("teacher-stalled")).ToHaveCountAsync(0);

        await c.EndAsync();
        c.Teacher.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task TeacherReload_MidClass_EveryProjectorDecodesAgainAndRecordingMissesOnlyTheGap()
    {
        await using var c = await LiveClassAsync(projectors: 2);
        await c.RecordingRunsAsync(fx);
        var gap = Stopwatch.StartNew();

        await c.Console.ReloadAsync();
        var loaded = gap.Elapsed;
        var baselines = new List<int>();
        foreach (var p in c.Projectors)
        {
            baselines.Add(await ClassMedia.FramesAsync(p.Page, "main"));
        }
        for (var i = 0; i < c.Projectors.Count; i++)
        {
            var back = await ClassMedia.WaitFramesAsync(c.Projectors[i].Page, "main", baselines[i] + 3, MediaDeadline);
            output.WriteLine(Figure($"teacher reload: projector {i + 1} decoding the teacher again {(gap.Elapsed - loaded).TotalSeconds:0.00} s after the console loaded (target ≤ 3 s; waited {back.TotalSeconds:0.00} s here)"));
        }
        // An upper bound of what the recording may miss: from the reload until the projectors decode the teacher again.
        var reloadGap = gap.Elapsed.TotalSeconds;
        foreach (var p in c.Projectors)
        {
            await ClassMedia.WaitFramesAsync(p.Page, "main", 0, MediaDeadline);
            // Frames flow again, so no projector still says the teacher is reconnecting.
            await Expect(p.Page.GetByTestId("teacher-stalled")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        }
        await Expect(c.Console.GetByTestId("class-state")).ToHaveTextAsync("上课中");
        await c.ClassGoesOnAsync();

        await c.AssertRecordingMissesAtMostAsync(fx, output, reloadGap, "teacher reload");
        foreach (var p in c.Projectors)
        {
            p.AssertNoConsoleErrors();
        }
    }

    [Fact]
    public async Task SecondTab_SameTeacherAccount_TakesTheMediaOverAndTheFirstTabStaysStoppedAndRecordingGoesOn()
    {
        await using var c = await LiveClassAsync(projectors: 1);
        await c.RecordingRunsAsync(fx);
        var projector = c.Projectors[0].Page;
        var firstTab = c.Console;
        var secondTab = await c.Teacher.Context.NewPageAsync();
        var clock = Stopwatch.StartNew();

        await secondTab.BringToFrontAsync();
        await secondTab.GotoAsync(firstTab.Url, new() { WaitUntil = WaitUntilState.DOMContentLoaded, Timeout = 60_000 });
        var loaded = clock.Elapsed;
        await Expect(firstTab.GetByTestId("media-taken-over")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        // The projector now decodes the second tab's camera: frames keep coming after the takeover.
        var atTakeover = await ClassMedia.FramesAsync(projector, "main");
        await ClassMedia.WaitFramesAsync(projector, "main", atTakeover + 3, MediaDeadline);
        // Upper bound of the handover's gap: from opening the second tab until the projector decodes its camera.
        var takeoverGap = clock.Elapsed.TotalSeconds;
        output.WriteLine(Figure($"second tab: projector decoding the teacher again {(clock.Elapsed - loaded).TotalSeconds:0.00} s after the second tab loaded"));
        await c.Teacher.ScreenshotAsync("console-media-taken-over");

        // No fight: ten seconds on, the first tab is still stopped and the projector still decodes.
        var settled = Stopwatch.StartNew();
        while (settled.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Expect(firstTab.GetByTestId("media-taken-over")).ToBeVisibleAsync();
            await Expect(secondTab.GetByTestId("media-taken-over")).ToHaveCountAsync(0);
            await Task.Delay(1000);
        }
        var later = await ClassMedia.FramesAsync(projector, "main");
        await ClassMedia.WaitFramesAsync(projector, "main", later + 10, MediaDeadline);

        // The user takes it back in the first tab: the second tab is told in turn.
        var takeBack = Stopwatch.StartNew();
        await firstTab.GetByTestId("media-take-back").ClickAsync();
        await Expect(secondTab.GetByTestId("media-taken-over")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(firstTab.GetByTestId("media-taken-over")).ToHaveCountAsync(0);
        var afterTakeBack = await ClassMedia.FramesAsync(projector, "main");
        await ClassMedia.WaitFramesAsync(projector, "main", afterTakeBack + 10, MediaDeadline);
        var takeBackGap = takeBack.Elapsed.TotalSeconds;
        await ClassMedia.WaitFramesAsync(projector, "main", afterTakeBack + 60, MediaDeadline);
        await c.ClassGoesOnAsync();

        await c.AssertRecordingMissesAtMostAsync(fx, output, takeoverGap + takeBackGap, "second tab and take-back");
        await secondTab.CloseAsync();
    }

    [Fact]
    public async Task TeacherCameraStops_ProjectorSaysTheTeacherIsReconnecting_ThenClearsWhenFramesReturn()
    {
        await using var c = await LiveClassAsync(projectors: 1);
        var projector = c.Projectors[0].Page;

        // The teacher's camera stops sending (as when the teacher's network goes) while the class goes on.
        await c.Console.EvaluateAsync("() => window.lcLive.media.setCamera(null)");
        var notice = projector.GetByTestId("teacher-stalled");
        await Expect(notice).ToHaveTextAsync("主讲教师网络重连中…", new() { Timeout = 15_000 });
        await c.Projectors[0].ScreenshotAsync("projector-teacher-stalled");

        await c.Console.EvaluateAsync("() => window.lcLive.media.setCamera(window.lcLive.local.camera)");
        await Expect(notice).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        c.Projectors[0].AssertNoConsoleErrors();
    }

    private static string Figure(string text)
    {
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "lc-rejoin-figures.txt"), $"{DateTime.UtcNow:O} {text}\n");
        return text;
    }

    private async Task<LiveClass> LiveClassAsync(int projectors)
    {
        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), ruralCount: projectors);
        var c = new LiveClass { Teacher = await fx.LaunchAsync() };
        for (var i = 0; i < projectors; i++)
        {
            var token = await fx.Api.PairDeviceAsync(scenario.RuralClassrooms[i].Id, $"投影电脑 {i + 1}");
            var p = await fx.LaunchAsync();
            c.Projectors.Add(p);
            await ClassPages.StartProjectorAsync(p, token);
        }
        await ClassPages.OpenClassAsTeacherAsync(c.Teacher, scenario);
        c.ClassId = new Uri(c.Console.Url).Segments[^1].Trim('/');
        (c.Token, _) = await fx.Api.LoginAsync("teacher");
        await ClassMedia.WaitVideoSentAsync(c.Console);
        c.SinceFirstMedia.Start();
        c.RecordingId = await ClassMedia.RecordingIdAsync(fx.Api, c.ClassId, c.Token);
        foreach (var p in c.Projectors)
        {
            await ClassMedia.WaitFramesAsync(p.Page, "main", 10, MediaDeadline);
        }
        return c;
    }

    private sealed class LiveClass : IAsyncDisposable
    {
        public required BrowserSession Teacher { get; init; }

        public List<BrowserSession> Projectors { get; } = [];

        public IPage Console => Teacher.Page;

        public string ClassId { get; set; } = "";

        public string Token { get; set; } = "";

        public Guid RecordingId { get; set; }

        public Stopwatch SinceFirstMedia { get; } = new();

        /// <summary>Waits until the recorder runs a part and the class goes on a while more, so the disruption happens mid-recording.</summary>
        public async Task RecordingRunsAsync(EndToEndFixture fx)
        {
            var clock = Stopwatch.StartNew();
            while ((await fx.Api.SendAsync(HttpMethod.Get, $"/api/recordings/{RecordingId}", Token))["recording"]!["parts"]!.GetValue<int>() < 1)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException("the recorder started no part in 60 s");
                }
                await Task.Delay(250);
            }
            var frames = await ClassMedia.FramesAsync(Projectors[0].Page, "main");
            await ClassMedia.WaitFramesAsync(Projectors[0].Page, "main", frames + 100, TimeSpan.FromSeconds(60));
        }

        /// <summary>Ends the class from the console and waits until it says so (the recording is not checked).</summary>
        public async Task EndAsync()
        {
            await Console.GetByTestId("end-class").ClickAsync();
            await Console.GetByTestId("end-class-confirm").ClickAsync();
            await Expect(Console.GetByTestId("console-ended")).ToHaveTextAsync("本节课已结束。");
        }

        /// <summary>Lets the class run on for a while after a disruption, so the recording's part after it is substantial.</summary>
        public async Task ClassGoesOnAsync()
        {
            var frames = await ClassMedia.FramesAsync(Projectors[0].Page, "main");
            await ClassMedia.WaitFramesAsync(Projectors[0].Page, "main", frames + 150, TimeSpan.FromSeconds(90));
        }

        /// <summary>
        /// Ends the class and checks its recording: one finalized recording (its parts joined into one MP4) with a
        /// picture, as long as the class minus at most <paramref name="gap"/> seconds (what the disruptions took, as the
        /// projectors saw it). Prints the figures.
        /// </summary>
        public async Task AssertRecordingMissesAtMostAsync(EndToEndFixture fx, ITestOutputHelper output, double gap, string what)
        {
            await Console.GetByTestId("end-class").ClickAsync();
            await Console.GetByTestId("end-class-confirm").ClickAsync();
            var classSeconds = SinceFirstMedia.Elapsed.TotalSeconds;
            await Expect(Console.GetByTestId("console-ended")).ToHaveTextAsync("本节课已结束。");
            var (recorded, parts) = await ClassMedia.FinishedRecordingAsync(fx.Api, RecordingId, Token);
            var (mp4Seconds, streams) = await MediaProbe.ProbeAsync(Path.Combine(ServerProcess.RecordingsRoot, RecordingId.ToString("N"), "video.mp4"));
            output.WriteLine(Figure(string.Create(CultureInfo.InvariantCulture,
                $"{what}: class {classSeconds:0.00} s (teacher's first camera packets → end clicked), measured gap ≤ {gap:0.00} s, " +
                $"recording {recorded:0.00} s (MP4 {mp4Seconds:0.00} s, {string.Join(",", streams)}) from {parts} part(s); " +
                $"class minus recording {classSeconds - recorded:0.00} s")));
            Assert.Contains("video", streams);
            Assert.Contains("audio", streams);
            Assert.True(parts >= 2, $"{parts} part(s): the recording did not go on in a new part after the page came back");
            // Before #14 was fixed the recording lost everything after the disruption (83 s of a 133 s class), or the
            // part after it had no picture and was left out.
            // The class's start is seen by polling the console's getStats through Playwright, which on a loaded machine
            // notices the first packets seconds late (CI at load ~20: recording 17.8 s against a class measured as
            // 16.1 s), so the upper bound allows 3 s; what this test guards is the lower one.
            Assert.InRange(recorded, classSeconds - gap - 2.0, classSeconds + 3.0);
        }

        public async ValueTask DisposeAsync()
        {
            await Teacher.DisposeAsync();
            foreach (var p in Projectors)
            {
                await p.DisposeAsync();
            }
        }
    }
}
