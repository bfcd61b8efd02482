using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>
/// A rural classroom's uplink (often ≈ 300 kbps) carries its camera and microphone only while the server forwards
/// them: on stage, and the microphone only while not muted by the lead. The senders stay negotiated; going on stage
/// switches them on without a new offer.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ProjectorUplinkTests(EndToEndFixture fx, ITestOutputHelper output)
{
    /// <summary>How long "nothing is sent" is watched for: an observation period, not a wait for something to happen.</summary>
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Projector_OffStage_SendsNothing_OnStageResumesWithoutRenegotiation()
    {
        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), ruralCount: 1);
        var room = scenario.RuralClassrooms[0];
        var token = await fx.Api.PairDeviceAsync(room.Id, "投影电脑 1");
        await using var teacher = await fx.LaunchAsync();
        await using var projector = await fx.LaunchAsync();
        var negotiations = 0;
        projector.Page.WebSocket += (_, ws) => ws.FrameSent += (_, frame) =>
        {
            var text = frame.Text ?? (frame.Binary is { } b ? Encoding.UTF8.GetString(b) : "");
            if (text.Contains("\"target\":\"Negotiate\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref negotiations);
            }
        };
        await ClassPages.StartProjectorAsync(projector, token);
        await ClassPages.OpenClassAsTeacherAsync(teacher, scenario);
        var page = projector.Page;
        // The projector's peer is up and carrying media: the teacher's picture plays on it.
        await page.WaitForFunctionAsync("() => { const v = document.querySelector('[data-testid=teacher-video]'); return v && v.currentTime > 1; }",
            null, new() { Timeout = 60_000 });
        var sdp = await LocalDescriptionAsync(page);
        var negotiated = Volatile.Read(ref negotiations);
        Assert.True(negotiated >= 1, "the projector never negotiated over the hub's WebSocket");

        var offStage = await SentAsync(page);
        await Task.Delay(QuietPeriod);
        var offStageLater = await SentAsync(page);
        output.WriteLine($"off stage: video bytes {offStage.Video} → {offStageLater.Video}, audio bytes {offStage.Audio} → {offStageLater.Audio} over {QuietPeriod.TotalSeconds} s");
        Assert.Equal(offStage.Video, offStageLater.Video);
        Assert.Equal(offStage.Audio, offStageLater.Audio);

        await page.GetByTestId("hand-button").ClickAsync();
        var clock = Stopwatch.StartNew();
        await teacher.Page.GetByTestId("hand-queue").GetByRole(AriaRole.Button, new() { Name = "请上台" }).ClickAsync();
        await WaitUntilSendingAsync(page, "video", offStageLater.Video);
        var videoAfter = clock.Elapsed;
        await WaitUntilSendingAsync(page, "audio", offStageLater.Audio);
        var audioAfter = clock.Elapsed;
        await Expect(ClassPages.Tile(teacher.Page, room).GetByTestId("stage-video")).ToBeVisibleAsync();
        await teacher.Page.WaitForFunctionAsync("() => { const v = document.querySelector('[data-testid=stage-video]'); return v && v.currentTime > 0.5; }",
            null, new() { Timeout = 30_000 });
        var playingAfter = clock.Elapsed;
        output.WriteLine($"请上台 clicked → projector video bytes grow after {videoAfter.TotalMilliseconds:F0} ms, audio after {audioAfter.TotalMilliseconds:F0} ms, " +
            $"stage video playing on the console after {playingAfter.TotalMilliseconds:F0} ms");
        Assert.Equal(negotiated, Volatile.Read(ref negotiations));
        Assert.Equal(sdp, await LocalDescriptionAsync(page));

        // Muted by the lead: the SFU drops the microphone, so the projector stops sending it; the camera goes on.
        await ClassPages.Tile(teacher.Page, room).GetByRole(AriaRole.Button, new() { Name = "静音" }).ClickAsync();
        await Expect(page.GetByTestId("muted-banner")).ToBeVisibleAsync();
        var muted = await WaitUntilQuietAsync(page, "audio");
        await WaitUntilSendingAsync(page, "video", (await SentAsync(page)).Video);
        output.WriteLine($"muted: audio bytes stay at {muted}");

        // Off stage again: the camera stops as well.
        await ClassPages.Tile(teacher.Page, room).GetByRole(AriaRole.Button, new() { Name = "请下台" }).ClickAsync();
        await Expect(page.GetByTestId("on-stage")).ToHaveCountAsync(0);
        var stopped = await WaitUntilQuietAsync(page, "video");
        output.WriteLine($"off stage again: video bytes stay at {stopped}");
        Assert.Equal(negotiated, Volatile.Read(ref negotiations));
        Assert.Equal(sdp, await LocalDescriptionAsync(page));
        teacher.AssertNoConsoleErrors();
        projector.AssertNoConsoleErrors();
    }

    private static Task<string> LocalDescriptionAsync(IPage page) => page.EvaluateAsync<string>("() => window.lcLive.media.pc.localDescription.sdp");

    private const string SentScript = """
        async () => {
          const r = { video: 0, audio: 0 };
          (await window.lcLive.media.pc.getStats()).forEach(s => { if (s.type === 'outbound-rtp') r[s.kind] += s.bytesSent ?? 0; });
          return r;
        }
        """;

    private static async Task<(double Video, double Audio)> SentAsync(IPage page)
    {
        var r = await page.EvaluateAsync<JsonElement>(SentScript);
        return (r.GetProperty("video").GetDouble(), r.GetProperty("audio").GetDouble());
    }

    /// <summary>Waits (polling in the page, 30 s deadline) until the projector's outbound bytes of a kind pass a mark.</summary>
    private static Task WaitUntilSendingAsync(IPage page, string kind, double mark) =>
        PageWait.UntilAsync(page, $"async () => (await ({SentScript})()).{kind} > {mark}", null, TimeSpan.FromSeconds(30));

    /// <summary>Waits (30 s deadline) until two readings a second apart show no outbound bytes of a kind; returns the count.</summary>
    private static async Task<double> WaitUntilQuietAsync(IPage page, string kind)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var last = double.NaN;
        while (DateTime.UtcNow < deadline)
        {
            var sent = await SentAsync(page);
            var now = kind == "video" ? sent.Video : sent.Audio;
            if (now == last)
            {
                return now;
            }
            last = now;
            await page.WaitForTimeoutAsync(1000);
        }
        throw new TimeoutException($"the projector kept sending {kind} for 30 s");
    }
}
