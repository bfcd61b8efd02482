using LiveClassroom.EndToEnd.Tests.Harness;
using LiveClassroom.Testing.Network;
using Xunit.Abstractions;

namespace LiveClassroom.EndToEnd.Tests.LinkEmulation;

/// <summary>
/// The rural-link benchmark (docs/RURAL-LINKS.md, "Figures"): one projector behind a namespace link that goes through
/// four profiles — clean, 1 Mbps, 300 kbps + 5 % loss + 200 ms each way, 150 kbps — with a clean projector beside it,
/// printing for each 30 s window the projector's fps, resolution, audio concealment and stalls, the clean projector's,
/// and the teacher's send and retransmission rates. Only the functional outcome (video flows on the clean profile)
/// is asserted: figures depend on the machine and are printed, never asserted.
/// Run alone: bash scripts/test.sh --filter "FullyQualifiedName~RuralLinkFigures"
/// </summary>
[Collection(LinkEmulationCollection.Name)]
[Trait("Category", "Benchmark")]
public sealed class RuralLinkFigures(LinkEmulationFixture fx, ITestOutputHelper output)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);
    private ServerProcess? _server;

    [Fact]
    public async Task FourLinkProfiles_ThirtySecondWindows_PrintsFigures()
    {
        await using var link = await NetworkNamespace.CreateAsync();
        // The SFU logs each subscriber's estimate, its parts and the probe counts once a second: printed with each window.
        await using var server = await ServerProcess.StartAsync(linkAddress: link.HostAddress,
            environment: new Dictionary<string, string> { ["Media__TraceBandwidth"] = "true" });
        _server = server;
        // The relay sits in the projector's media path from the start (a DNAT applies to new flows only); 0 ms until needed.
        var media = new System.Net.IPEndPoint(link.HostAddress, server.MediaPort!.Value);
        using var relay = UdpDelayRelay.Start(link.HostAddress, media, TimeSpan.Zero);
        await link.RedirectUdpAsync(media.Port, relay.EndPoint.Port);
        await using var room = await LinkRoom.OpenAsync(fx.Playwright, server, link, fx.NextTag());

        var clean = await MeasureAsync(room, "clean");
        Assert.True(clean.Bad.Fps > 0, $"no video on the clean profile: {clean.Bad}");

        await link.RateCapAsync(downKbps: 1000, upKbps: 1000);
        await MeasureAsync(room, "1 Mbps");

        await link.RateCapAsync(downKbps: 300, upKbps: 300);
        await link.DropRandomUdpAsync(5);
        relay.Delay = TimeSpan.FromMilliseconds(200);
        await MeasureAsync(room, "300 kbps + 5 % loss + 200 ms each way");

        relay.Delay = TimeSpan.Zero;
        await link.ClearDropsAsync();
        await link.RateCapAsync(downKbps: 150, upKbps: 150);
        await MeasureAsync(room, "150 kbps");
        // Audio-first tells the classroom why the picture stopped (网络较差，已切换为仅声音) and takes it back once video resumes.
        var audioOnly = room.Projector.Page.GetByTestId("audio-only");
        output.WriteLine($"[150 kbps] audio-only notice shown at the window's end: {await audioOnly.IsVisibleAsync()}");

        // The link returns to 1 Mbps: how long until the projector's video is back (audio-first resumes by itself).
        await link.RateCapAsync(downKbps: 1000, upKbps: 1000);
        var returned = DateTime.UtcNow;
        var back = await VideoBackAsync(room.Projector.Page);
        output.WriteLine($"150 kbps → 1 Mbps: video back (10 new frames) {Seconds(back)} after the link returned; audio-only notice still shown: {await audioOnly.IsVisibleAsync()}");
        room.PrintSfuTrace(output, "150 kbps → 1 Mbps", server.Log, returned.AddSeconds(-5), DateTime.UtcNow.AddSeconds(1));
        await link.RemoveRateCapAsync();

        // Five 15 s total outages in a row on a clean link; nobody clicks.
        for (var outage = 1; outage <= 5; outage++)
        {
            await SettleAsync();
            await link.StartOutageAsync();
            var down = System.Diagnostics.Stopwatch.StartNew();
            while (down.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(500);
            }
            await link.EndOutageAsync();
            returned = DateTime.UtcNow;
            back = await VideoBackAsync(room.Projector.Page);
            output.WriteLine($"outage {outage} of 5 (15 s): video back (10 new frames) {Seconds(back)} after the link returned");
            output.WriteLine($"[outage {outage}] {SfuTrace.Summary(SfuTrace.Lines(server.Log, room.ProjectorDeviceId, returned, DateTime.UtcNow.AddSeconds(1)))}");
        }
        output.WriteLine($"relay: {relay.Summary}");
    }

    internal static string Seconds(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:0.0} s" : "not within 60 s";

    /// <summary>How long until the projector's main slot decodes 10 new frames (a new peer connection counts from 0); null after 60 s.</summary>
    internal static async Task<TimeSpan?> VideoBackAsync(Microsoft.Playwright.IPage page)
    {
        var before = await ClassMedia.FramesAsync(page, "main");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lowest = before;
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            int frames;
            try
            {
                frames = await ClassMedia.FramesAsync(page, "main");
            }
            catch (Microsoft.Playwright.PlaywrightException)
            {
                frames = 0;
            }
            lowest = Math.Min(lowest, frames);
            if (frames >= lowest + 10 && (lowest < before || frames >= before + 10))
            {
                return clock.Elapsed;
            }
            await Task.Delay(100);
        }
        return null;
    }

    private static async Task SettleAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < Settle)
        {
            await Task.Delay(500);
        }
    }

    private async Task<(LinkWindow Bad, LinkWindow Clean)> MeasureAsync(LinkRoom room, string profile)
    {
        await SettleAsync();
        var server = _server;
        return await room.MeasureAsync(Window, output, profile, server is null ? null : () => server.Log);
    }
}
