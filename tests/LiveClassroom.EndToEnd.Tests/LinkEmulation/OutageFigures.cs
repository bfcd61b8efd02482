using System.Diagnostics;
using System.Globalization;
using LiveClassroom.EndToEnd.Tests.Harness;
using LiveClassroom.Testing.Network;
using Xunit.Abstractions;

namespace LiveClassroom.EndToEnd.Tests.LinkEmulation;

/// <summary>
/// Only the outage part of <see cref="RuralLinkFigures"/>, many times, for a distribution: 15 s total outages of the
/// projector's clean link (the delay relay in the path at 0 ms, as there), each followed by the time until 10 new frames
/// decode and the page's timeline from the outage to then (<see cref="OutageTimeline"/>) with the SFU's trace. Figures
/// are printed, never asserted. LIVECLASSROOM_OUTAGES sets the number (10), LIVECLASSROOM_OUTAGE_SECONDS the length
/// (15; past the SFU's 30 s consent timeout the page must start over on a fresh peer connection).
/// Run alone: bash scripts/test.sh --filter "FullyQualifiedName~OutageFigures"
/// </summary>
[Collection(LinkEmulationCollection.Name)]
[Trait("Category", "Benchmark")]
public sealed class OutageFigures(LinkEmulationFixture fx, ITestOutputHelper output)
{
    [Fact]
    public async Task FifteenSecondOutages_PrintsReturnTimesAndTimelines()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("LIVECLASSROOM_OUTAGES"), out var n) ? n : 10;
        var length = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("LIVECLASSROOM_OUTAGE_SECONDS"), out var s) ? s : 15);
        await using var link = await NetworkNamespace.CreateAsync();
        await using var server = await ServerProcess.StartAsync(linkAddress: link.HostAddress,
            environment: new Dictionary<string, string> { ["Media__TraceBandwidth"] = "true" });
        var media = new System.Net.IPEndPoint(link.HostAddress, server.MediaPort!.Value);
        using var relay = UdpDelayRelay.Start(link.HostAddress, media, TimeSpan.Zero);
        await link.RedirectUdpAsync(media.Port, relay.EndPoint.Port);
        await using var room = await LinkRoom.OpenAsync(fx.Playwright, server, link, fx.NextTag());
        var page = room.Projector.Page;
        await OutageTimeline.InstallAsync(page);
        await ClassMedia.WaitFramesAsync(page, "main", 10, TimeSpan.FromSeconds(60));

        var times = new List<TimeSpan?>();
        for (var outage = 1; outage <= count; outage++)
        {
            await WaitAsync(TimeSpan.FromSeconds(10));
            await link.StartOutageAsync();
            var started = DateTime.UtcNow;
            await WaitAsync(length);
            await link.EndOutageAsync();
            var returned = DateTime.UtcNow;
            var back = await RuralLinkFigures.VideoBackAsync(page);
            times.Add(back);
            output.WriteLine($"outage {outage} of {count} ({length.TotalSeconds:0} s): video back (10 new frames) {RuralLinkFigures.Seconds(back)} after the link returned");
            foreach (var line in await OutageTimeline.ReadAsync(page, started.AddSeconds(-1), DateTime.UtcNow, returned))
            {
                output.WriteLine("    " + line);
            }
            foreach (var (at, text) in SfuTrace.Lines(server.Log, room.ProjectorDeviceId, returned.AddSeconds(-2), DateTime.UtcNow))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {(at - returned.TimeOfDay).TotalSeconds,6:+0.00;-0.00} s  SFU {text}"));
            }
        }
        var within = times.Count(t => t is { } v && v <= TimeSpan.FromSeconds(3));
        var sorted = times.Select(t => t?.TotalSeconds ?? 60).Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[outages] {length.TotalSeconds:0} s each: {within} of {count} within 3 s; median {sorted[sorted.Count / 2]:0.0} s, max {sorted[^1]:0.0} s: {string.Join(" / ", times.Select(RuralLinkFigures.Seconds))}"));
        output.WriteLine($"relay: {relay.Summary}");
    }

    private static async Task WaitAsync(TimeSpan length)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < length)
        {
            await Task.Delay(250);
        }
    }
}
