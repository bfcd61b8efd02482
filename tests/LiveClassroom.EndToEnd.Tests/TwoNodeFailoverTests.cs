using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>
/// Two real server processes on one PostgreSQL, one Orleans cluster (issues #11 and #20): the lead teacher's console
/// loaded from node A, a projector's page from node B. The node hosting the class (its grain and SFU room) is found
/// from its metrics, then killed (kill -9) or hung (SIGSTOP). Nobody clicks anything: the page on that node moves to
/// the other one, the room activates there, both pages renegotiate with its SFU and the projector decodes the teacher
/// again. Prints how long each step took after the failure (target ≤ 10 s; printed, never asserted) and asserts that
/// the chat message and the raised hand from before the failure are there exactly once, on both pages and on a page
/// loaded afresh, that one more chat round-trips, and that attendance keeps both classrooms present with their first
/// arrival unchanged, records the drop of the classroom whose page was on the failed node, and dates every classroom's
/// drop no later than the failure (the time the cluster took to notice is not counted present). After the kill -9, the
/// class's recording goes on on the surviving node as a further part of the same recording: once the class ends it is
/// ready, from at least two parts, and as long as the class minus the failover gap (checked after the kill -9 only:
/// the hung node's case differs only in how the death is detected).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class TwoNodeFailoverTests(EndToEndFixture fx, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public Task HostingNodeKilled_PagesMoveToTheOtherNode_ClassGoesOnWithNothingLostOrDuplicated() => RunAsync(hang: false);

    [Fact]
    public Task HostingNodeHung_PagesMoveToTheOtherNode_ClassGoesOnWithNothingLostOrDuplicated() => RunAsync(hang: true);

    private async Task RunAsync(bool hang)
    {
        var nodes = await ServerProcess.StartClusterAsync(2);
        var (a, b) = (nodes[0], nodes[1]);
        try
        {
            using var api = new DemoApi(a.BaseUrl);
            var scenario = await api.CreateScenarioAsync(fx.NextTag(), ruralCount: 1);
            var room = scenario.RuralClassrooms[0];
            var deviceToken = await api.PairDeviceAsync(room.Id, "投影电脑");
            await using var teacher = await BrowserSession.LaunchAsync(fx.Playwright, a.BaseUrl);
            await using var projector = await BrowserSession.LaunchAsync(fx.Playwright, b.BaseUrl);
            teacher.ExpectServerDown();
            projector.ExpectServerDown();

            await ClassPages.OpenClassAsTeacherAsync(teacher, scenario);
            var console = teacher.Page;
            var classId = new Uri(console.Url).Segments[^1].Trim('/');
            await ClassPages.StartProjectorAsync(projector, deviceToken);
            await ClassMedia.WaitVideoSentAsync(console);
            var sinceFirstMedia = Stopwatch.StartNew();
            await ClassMedia.WaitFramesAsync(projector.Page, "main", 10, Deadline);
            // The class (grain and SFU room) lives on one node: the one whose SFU has a room. Placement puts it near its
            // first caller, which may be the teacher's node or the node where the pairing set the class up.
            var host = await SfuRoomsAsync(a) == 1 ? a : b;
            var survivor = host == a ? b : a;
            Assert.Equal(1, await SfuRoomsAsync(host));
            Assert.Equal(0, await SfuRoomsAsync(survivor));

            // Before the failure: a hand raised and the classroom brought on stage, a chat message from the teacher.
            var hand = projector.Page.GetByTestId("hand-button");
            await hand.ClickAsync();
            await Expect(hand).ToHaveTextAsync("放下手");
            await Expect(console.GetByTestId("hand-queue")).ToContainTextAsync(ClassPages.Label(room));
            await SendChatAsync(console, "故障前的消息");
            await Expect(ChatMessages(projector.Page, "故障前的消息")).ToHaveCountAsync(1);
            var (token, _) = await api.LoginAsync("teacher");
            var before = await AttendanceAsync(survivor, classId, token);
            var recordingId = hang ? Guid.Empty : await RecordingRunsAsync(survivor, classId, token);

            var failed = Stopwatch.StartNew();
            if (hang)
            {
                await host.PauseAsync();
            }
            else
            {
                await host.KillAsync();
            }
            // The node can no longer act after this: nothing it recorded can be later.
            var failedAt = DateTimeOffset.UtcNow;
            var projectorFrames = await WaitFramesAfterAsync(projector.Page, failed, Deadline);
            var videoBack = failed.Elapsed;
            await Expect(console.GetByTestId("class-state")).ToHaveTextAsync("上课中", new() { Timeout = (float)Deadline.TotalMilliseconds });
            await Expect(console.GetByTestId("link-status")).ToHaveCountAsync(0, new() { Timeout = (float)Deadline.TotalMilliseconds });
            var consoleBack = failed.Elapsed;
            Assert.Equal(1, await SfuRoomsAsync(survivor));

            await SendChatAsync(console, "故障后的消息");
            await Expect(ChatMessages(projector.Page, "故障后的消息")).ToHaveCountAsync(1, new() { Timeout = (float)Deadline.TotalMilliseconds });
            var chatBack = failed.Elapsed;
            output.WriteLine(Figure(string.Create(CultureInfo.InvariantCulture,
                $"{(hang ? "SIGSTOP" : "kill -9")} of the hosting node (the {(host == a ? "teacher's" : "projector's")} node): projector decoding the teacher again {videoBack.TotalSeconds:0.0} s, " +
                $"console live again {consoleBack.TotalSeconds:0.0} s, one more chat round trip done {chatBack.TotalSeconds:0.0} s after the failure " +
                $"(target ≤ 10 s; frames before {projectorFrames})")));

            // Nothing lost, nothing duplicated: on both pages and in what a page loaded afresh from B gets.
            await Expect(ChatMessages(console, "故障前的消息")).ToHaveCountAsync(1);
            await Expect(ChatMessages(projector.Page, "故障前的消息")).ToHaveCountAsync(1);
            await Expect(ChatMessages(console, "故障后的消息")).ToHaveCountAsync(1);
            await Expect(console.GetByTestId("hand-queue")).ToContainTextAsync(ClassPages.Label(room));
            await Expect(hand).ToHaveTextAsync("放下手");
            await using (var fresh = await BrowserSession.LaunchAsync(fx.Playwright, survivor.BaseUrl))
            {
                await fresh.LoginAsync("teacher");
                await fresh.Page.GotoAsync($"/console/{classId}");
                await Expect(ChatMessages(fresh.Page, "故障前的消息")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
                await Expect(ChatMessages(fresh.Page, "故障后的消息")).ToHaveCountAsync(1);
                await Expect(fresh.Page.GetByTestId("hand-queue")).ToContainTextAsync(ClassPages.Label(room));
            }

            var after = await AttendanceAsync(survivor, classId, token);
            var askedAt = DateTimeOffset.UtcNow;
            var roomBefore = Classroom(before, room.Id);
            var roomAfter = Classroom(after, room.Id);
            Assert.True(roomAfter["present"]!.GetValue<bool>(), after.ToJsonString());
            Assert.Equal(roomBefore["attendance"]!["firstJoinedAt"]!.ToString(), roomAfter["attendance"]!["firstJoinedAt"]!.ToString());
            // The connections on the failed node died with it: a drop their classroom came back from, not unbroken presence.
            var (droppedBefore, droppedAfter) = host == a ? (Lead(before), Lead(after)) : (roomBefore, roomAfter);
            Assert.True(droppedAfter["attendance"]!["reconnectCount"]!.GetValue<int>() > droppedBefore["attendance"]!["reconnectCount"]!.GetValue<int>(), after.ToJsonString());
            Assert.True(Lead(after)["present"]!.GetValue<bool>(), after.ToJsonString());
            // No outage counted as presence (issue #20 item 4): every connection of the class was held by the failed node's
            // room, so each classroom dropped when that node was last known alive, at the latest when it failed, and its
            // minutes present leave out at least the time from that drop to the failure and beyond, until it came back.
            foreach (var c in new[] { roomAfter, Lead(after) })
            {
                var att = c["attendance"]!;
                var lastLeft = DateTimeOffset.Parse(att["lastLeftAt"]!.ToString(), CultureInfo.InvariantCulture);
                var span = (askedAt - DateTimeOffset.Parse(att["firstJoinedAt"]!.ToString(), CultureInfo.InvariantCulture)).TotalMinutes;
                var left = span - att["minutesPresent"]!.GetValue<double>();
                output.WriteLine(Figure(string.Create(CultureInfo.InvariantCulture,
                    $"{(hang ? "SIGSTOP" : "kill -9")}: {c["classroomId"]} dropped {(failedAt - lastLeft).TotalSeconds:0.0} s before the failure was complete; " +
                    $"{att["minutesPresent"]} of {span:0.00} min counted present, {left * 60:0.0} s left out (video back {videoBack.TotalSeconds:0.0} s after the failure)")));
                Assert.True(lastLeft <= failedAt, $"{c["classroomId"]} left at {lastLeft:O}, after the failure at {failedAt:O}: {after.ToJsonString()}");
                Assert.True(left * 60 > (failedAt - lastLeft).TotalSeconds - 0.6, after.ToJsonString());
            }

            if (!hang)
            {
                await AssertRecordingWentOnAsync(survivor, console, projector.Page, recordingId, token, sinceFirstMedia, videoBack);
            }
            teacher.AssertNoConsoleErrors();
            projector.AssertNoConsoleErrors();
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{e.Message}\n--- node A ---\n{Tail(a.Log)}\n--- node B ---\n{Tail(b.Log)}", e);
        }
        finally
        {
            foreach (var node in nodes.Where(n => hang && !n.HasExitedNow))
            {
                await node.ResumeAsync();
            }
            await b.DisposeAsync();
            await a.DisposeAsync();
        }
    }

    /// <summary>
    /// The class's recording id, once its first part holds seconds of media on disk (so the failure cuts a part that
    /// has something to keep: ~150 kB is 2-3 s of the fake camera and microphone).
    /// </summary>
    private static async Task<Guid> RecordingRunsAsync(ServerProcess node, string classId, string token)
    {
        using var api = new DemoApi(node.BaseUrl);
        var id = await ClassMedia.RecordingIdAsync(api, classId, token);
        var part = Path.Combine(ServerProcess.RecordingsRoot, id.ToString("N"), "p000");
        await ClassMedia.PollAsync(() => Task.FromResult(Directory.Exists(part) ? Directory.GetFiles(part, "seg_*.ts").Sum(f => new FileInfo(f).Length) : 0),
            bytes => bytes >= 150_000, TimeSpan.FromSeconds(60), "the recording's first part to hold media");
        return id;
    }

    /// <summary>
    /// Lets the class run on after the failover (so the part recorded on the survivor is substantial), ends it, and checks
    /// that the one recording covers the class minus the failover gap. The gap is measured from the kill until the
    /// projector decodes the teacher again, i.e. until the teacher's media reaches the survivor's SFU. The margin below it:
    /// one segment (Recordings:SegmentSeconds, 4 s), for the segment ffmpeg was writing when it was killed with its node
    /// (kept only up to its last whole packet) and the new part's wait for the teacher's next keyframe; plus 2 s for how
    /// late the class's start is noticed by polling getStats on a loaded machine (as in RejoinTests).
    /// </summary>
    private async Task AssertRecordingWentOnAsync(
        ServerProcess survivor, IPage console, IPage projector, Guid recordingId, string token, Stopwatch sinceFirstMedia, TimeSpan gap)
    {
        var frames = await ClassMedia.FramesAsync(projector, "main");
        await ClassMedia.WaitFramesAsync(projector, "main", frames + 300, Deadline);
        await console.GetByTestId("end-class").ClickAsync();
        await console.GetByTestId("end-class-confirm").ClickAsync();
        var classSeconds = sinceFirstMedia.Elapsed.TotalSeconds;
        await Expect(console.GetByTestId("console-ended")).ToHaveTextAsync("本节课已结束。", new() { Timeout = (float)Deadline.TotalMilliseconds });
        using var api = new DemoApi(survivor.BaseUrl);
        var (recorded, parts) = await ClassMedia.FinishedRecordingAsync(api, recordingId, token);
        var (mp4Seconds, streams) = await MediaProbe.ProbeAsync(Path.Combine(ServerProcess.RecordingsRoot, recordingId.ToString("N"), "video.mp4"));
        output.WriteLine(Figure(string.Create(CultureInfo.InvariantCulture,
            $"recording across kill -9: class {classSeconds:0.0} s, failover gap {gap.TotalSeconds:0.0} s, recording {recorded:0.0} s " +
            $"(MP4 {mp4Seconds:0.0} s, {string.Join(",", streams)}) from {parts} part(s); class minus recording {classSeconds - recorded:0.0} s")));
        Assert.Contains("video", streams);
        Assert.True(parts >= 2, $"{parts} part(s): the recording did not go on in a further part on the surviving node");
        // Both nodes' parts are in what was finalized: the part cut by the kill and the survivor's.
        var playlist = await File.ReadAllTextAsync(Path.Combine(ServerProcess.RecordingsRoot, recordingId.ToString("N"), "index.m3u8"));
        var finalizedParts = PartOfSegment().Matches(playlist).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(finalizedParts.Count >= 2 && finalizedParts[0] == "p000", $"finalized from {string.Join(",", finalizedParts)}:\n{playlist}");
        // Before the recording continued on the survivor, it held only what came before the kill.
        Assert.InRange(recorded, classSeconds - gap.TotalSeconds - 6.0, classSeconds + 3.0);
    }

    private static async Task SendChatAsync(IPage page, string text)
    {
        await page.GetByLabel("消息内容").FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "发送" }).ClickAsync();
    }

    private static ILocator ChatMessages(IPage page, string text) => page.GetByTestId("chat-message").Filter(new() { HasText = text });

    /// <summary>
    /// Waits until the teacher's video decodes again after the failure: on a new peer connection (frames counted from
    /// its start), or on the same one well past what its jitter buffer could still hold. Returns the frames before.
    /// </summary>
    private static async Task<int> WaitFramesAfterAsync(IPage page, Stopwatch failed, TimeSpan timeout)
    {
        var start = await FramesAsync(page);
        while (failed.Elapsed < timeout)
        {
            var now = await FramesAsync(page);
            if ((now.Connection != start.Connection && now.Frames > 10) || (now.Connection == start.Connection && now.Frames > start.Frames + 30))
            {
                return start.Frames;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the teacher's video did not decode again {failed.Elapsed.TotalSeconds:0} s after the failure: {await ClassMedia.StateAsync(page)}");
    }

    private static async Task<(int Connection, int Frames)> FramesAsync(IPage page)
    {
        try
        {
            var r = await page.EvaluateAsync<int[]>("""
                async () => {
                  const m = window.lcLive?.media;
                  if (!m?.pc) return [0, 0];
                  m.pc.__lcId ??= (window.__lcPcs = (window.__lcPcs ?? 0) + 1);
                  return [m.pc.__lcId, await m.framesDecoded('main')];
                }
                """);
            return (r[0], r[1]);
        }
        catch (PlaywrightException)
        {
            return (0, 0);
        }
    }

    private static async Task<int> SfuRoomsAsync(ServerProcess node)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync(node.MetricsUrl!);
        var match = SfuRoomsLine().Match(text);
        return match.Success ? (int)double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static async Task<JsonNode> AttendanceAsync(ServerProcess node, string classId, string token)
    {
        using var api = new DemoApi(node.BaseUrl);
        return await api.SendAsync(HttpMethod.Get, $"/api/classes/{classId}/attendance", token);
    }

    private static JsonNode Classroom(JsonNode attendance, string classroomId) =>
        attendance["classrooms"]!.AsArray().Single(c => c!["classroomId"]!.GetValue<string>() == classroomId)!;

    private static JsonNode Lead(JsonNode attendance) =>
        attendance["classrooms"]!.AsArray().Single(c => c!["isLead"]!.GetValue<bool>())!;

    private static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(40));

    private static string Figure(string text)
    {
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "lc-failover-figures.txt"), $"{DateTime.UtcNow:O} {text}\n");
        return text;
    }

    [GeneratedRegex(@"^(p\d{3})/seg_\d{5}\.ts$", RegexOptions.Multiline)]
    private static partial Regex PartOfSegment();

    [GeneratedRegex(@"^liveclassroom_sfu_rooms(?:\{[^}]*\})? ([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex SfuRoomsLine();
}
