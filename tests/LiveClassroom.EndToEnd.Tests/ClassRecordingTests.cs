using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using LiveClassroom.EndToEnd.Tests.Harness;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>
/// A scheduled lesson is recorded from what real Chromium publishes (fake camera + microphone) through the SFU:
/// opening the class starts the recorder, ending it finalizes an MP4 + HLS + poster with the class's chapters.
/// Needs the real media plane and ffmpeg/ffprobe on the machine.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClassRecordingTests(EndToEndFixture fx, ITestOutputHelper output)
{
    private static readonly TimeSpan RecordFor = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task LiveClass_TeacherPublishesTenSeconds_FinalizedRecordingMatches()
    {
        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), ruralCount: 1);
        var room1 = scenario.RuralClassrooms[0];
        var deviceToken = await fx.Api.PairDeviceAsync(room1.Id, "投影电脑 录制");
        await using var teacher = await fx.LaunchAsync();
        await using var projector = await fx.LaunchAsync();
        await ClassPages.StartProjectorAsync(projector, deviceToken);
        await ClassPages.OpenClassAsTeacherAsync(teacher, scenario);
        var console = teacher.Page;
        var classId = new Uri(console.Url).Segments[^1].Trim('/');
        var (token, _) = await fx.Api.LoginAsync("teacher");

        // First media as the test sees it: the teacher's browser has sent camera packets. The recorder keeps what it
        // receives from its first packet on (a part starts after a settle delay and replays what arrived meanwhile),
        // so this, not the moment the first part shows up in the API, is where the recording's content begins.
        var firstMedia = Stopwatch.StartNew();
        await PageWait.UntilAsync(console, VideoSentScript, null, TimeSpan.FromSeconds(40));
        var sinceFirstMedia = Stopwatch.StartNew();
        output.WriteLine($"teacher's camera sent its first packets {firstMedia.Elapsed.TotalSeconds:0.00} s after the console went live");

        // The class UI's recording flag: the room reports a live recorder.
        var flag = await PollAsync(() => Get($"/api/rooms/{classId}/recording", token),
            s => s["recording"]?.GetValue<bool>() == true, TimeSpan.FromSeconds(30), "the class to report a recording");
        var recordingId = Guid.Parse(flag["recordingId"]!.GetValue<string>());
        await Expect(console.GetByTestId("recording-badge")).ToHaveTextAsync("● 录制中");

        // The teacher's media reaches the recorder: its first ffmpeg part starts once the tapped tracks' packets arrive.
        try
        {
            await PollAsync(() => Get($"/api/recordings/{recordingId}", token),
                r => r["recording"]!["parts"]!.GetValue<int>() >= 1, TimeSpan.FromSeconds(40), "the teacher's media to reach the recorder");
        }
        catch (TimeoutException ex)
        {
            // Where the media stopped: what the teacher's browser says it sent, and its ICE/DTLS state.
            var stats = await console.EvaluateAsync<string>(PublisherStatsScript);
            throw new TimeoutException($"{ex.Message}\nteacher getStats: {stats}", ex);
        }

        await projector.Page.GetByTestId("hand-button").ClickAsync();
        await Expect(console.GetByTestId("hand-queue")).ToBeVisibleAsync();

        // Keep the class running for the length of the recording, checking that it keeps recording meanwhile.
        while (sinceFirstMedia.Elapsed < RecordFor)
        {
            var r = await Get($"/api/recordings/{recordingId}", token);
            Assert.Equal("recording", r["recording"]!["status"]!.GetValue<string>());
            await Task.Delay(500);
        }

        await console.GetByTestId("end-class").ClickAsync();
        await console.GetByTestId("end-class-confirm").ClickAsync();
        var recordedSeconds = sinceFirstMedia.Elapsed.TotalSeconds;
        await Expect(console.GetByTestId("console-ended")).ToHaveTextAsync("本节课已结束。");
        // The recorder stops on the class's ClassEnded, which the console shows too: media sent until then is recorded,
        // and on a loaded node that can be well after the click.
        var endedSeconds = sinceFirstMedia.Elapsed.TotalSeconds;
        await Expect(console.GetByTestId("recording-badge")).ToHaveCountAsync(0);

        var done = await PollAsync(() => Get($"/api/recordings/{recordingId}", token),
            r => r["recording"]!["status"]!.GetValue<string>() is "ready" or "failed", TimeSpan.FromSeconds(120), "the finalize job");
        Assert.True(done["recording"]!["status"]!.GetValue<string>() == "ready", $"recording not ready: {done}");
        Assert.NotNull(done["resourceId"]?.GetValue<string>());
        var chapterTypes = done["chapters"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()).ToList();
        Assert.Contains("class_started", chapterTypes);
        Assert.Contains("hand_raised", chapterTypes);
        var hand = done["chapters"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "hand_raised")!;
        Assert.Equal($"{ClassPages.Label(room1)} 举手", hand["labelZh"]!.GetValue<string>());

        var dir = Path.Combine(ServerProcess.RecordingsRoot, recordingId.ToString("N"));
        Assert.True(File.Exists(Path.Combine(dir, "index.m3u8")), "HLS playlist missing");
        Assert.True(new FileInfo(Path.Combine(dir, "poster.jpg")) is { Exists: true, Length: > 0 }, "poster missing");
        var (duration, streams) = await MediaProbe.ProbeAsync(Path.Combine(dir, "video.mp4"));
        var reported = done["recording"]!["durationSeconds"]!.GetValue<double>();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"recorded (teacher's first camera packets sent → end clicked, as the test measured): {recordedSeconds:0.00} s (→ the console showed the class ended: {endedSeconds:0.00} s); ffprobe MP4: {duration:0.00} s; recording's reported duration: {reported:0.00} s; streams: {string.Join(",", streams)}"));
        Assert.Equal(1, streams.Count(s => s == "video"));
        Assert.Equal(1, streams.Count(s => s == "audio"));
        Assert.InRange(duration, recordedSeconds - 1.0, endedSeconds + 1.0);
        teacher.AssertNoConsoleErrors();
        projector.AssertNoConsoleErrors();
    }

    private const string PublisherStatsScript = """
        async () => {
            const pc = window.lcLive?.media?.pc;
            if (!pc) return "no peer connection";
            const out = [`connection=${pc.connectionState} ice=${pc.iceConnectionState}`];
            (await pc.getStats()).forEach((s) => {
                if (s.type === "outbound-rtp") out.push(`outbound ${s.kind} mid=${s.mid} bytesSent=${s.bytesSent} packetsSent=${s.packetsSent}`);
                if (s.type === "transport") out.push(`transport dtls=${s.dtlsState} ice=${s.iceState}`);
            });
            return out.join("; ");
        }
        """;

    private const string VideoSentScript = """
        async () => {
            const pc = window.lcLive?.media?.pc;
            if (!pc) return false;
            let sent = 0;
            (await pc.getStats()).forEach((s) => { if (s.type === "outbound-rtp" && s.kind === "video") sent += s.packetsSent ?? 0; });
            return sent > 0;
        }
        """;

    private Task<JsonNode> Get(string path, string token) => fx.Api.SendAsync(HttpMethod.Get, path, token);

    private static async Task<JsonNode> PollAsync(Func<Task<JsonNode>> read, Func<JsonNode, bool> done, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        var deadline = Stopwatch.StartNew();
        JsonNode last;
        do
        {
            last = await read();
            if (done(last))
            {
                return last;
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(250));
        }
        while (deadline.Elapsed < timeout);
        throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}; last: {last}");
    }
}
