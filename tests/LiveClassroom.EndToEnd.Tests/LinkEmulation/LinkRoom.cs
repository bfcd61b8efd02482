using System.Diagnostics;
using LiveClassroom.EndToEnd.Tests.Harness;
using LiveClassroom.Testing.Network;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LiveClassroom.EndToEnd.Tests.LinkEmulation;

/// <summary>Teacher, projector on the emulated link, projector on a clean path; disposed together.</summary>
internal sealed class LinkRoom(BrowserSession teacher, BrowserSession projector, BrowserSession clean, string projectorDeviceId) : IAsyncDisposable
{
    /// <summary>A class with the teacher outside, one projector inside <paramref name="link"/> and one on a clean path, both decoding.</summary>
    public static async Task<LinkRoom> OpenAsync(IPlaywright playwright, ServerProcess server, NetworkNamespace link, string tag)
    {
        using var api = new DemoApi(server.BaseUrl);
        var scenario = await api.CreateScenarioAsync(tag, ruralCount: 2);
        var (ruralToken, ruralDevice) = await api.PairDeviceWithIdAsync(scenario.RuralClassrooms[0].Id, "投影电脑 乡村");
        var cleanToken = await api.PairDeviceAsync(scenario.RuralClassrooms[1].Id, "投影电脑 对照");
        var teacher = await BrowserSession.LaunchAsync(playwright, server.BaseUrl);
        var viaLink = new Uri($"http://{link.HostAddress}:{server.BaseUrl.Port}");
        var projector = await BrowserSession.LaunchAsync(playwright, viaLink, executablePath: link.ExecWrapper(BrowserSession.ChromiumPath));
        var clean = await BrowserSession.LaunchAsync(playwright, server.BaseUrl);
        var room = new LinkRoom(teacher, projector, clean, ruralDevice);
        try
        {
            projector.Page.Context.SetDefaultTimeout(90_000);
            await ClassPages.StartProjectorAsync(projector, ruralToken);
            await ClassPages.StartProjectorAsync(clean, cleanToken);
            await ClassPages.OpenClassAsTeacherAsync(teacher, scenario);
            await ClassMedia.WaitFramesAsync(clean.Page, "main", 10, TimeSpan.FromSeconds(90));
            // The constrained projector joins over its link: wait until media flows there at all (audio, or a frame).
            var deadline = Stopwatch.StartNew();
            while ((await LinkSample.ReadAsync(projector.Page)) is { AudioPackets: 0, FramesDecoded: 0 })
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(120))
                {
                    throw new TimeoutException($"no media reached the projector on the link in 120 s: {await ClassMedia.StateAsync(projector.Page)}");
                }
                await Task.Delay(1000);
            }
            return room;
        }
        catch
        {
            await room.DisposeAsync();
            throw;
        }
    }

    public BrowserSession Teacher { get; } = teacher;

    public BrowserSession Projector { get; } = projector;

    public BrowserSession Clean { get; } = clean;

    /// <summary>The projector on the link's device id: its media peer id, which the server's bandwidth trace names.</summary>
    public string ProjectorDeviceId { get; } = projectorDeviceId;

    /// <summary>Samples all three pages about once a second for <paramref name="length"/> and prints the window.</summary>
    /// <param name="serverLog">The server's log so far (<see cref="ServerProcess.Log"/>): with its bandwidth trace on, the
    /// SFU's side of the window is printed too (<see cref="SfuTrace"/>).</param>
    public async Task<(LinkWindow Bad, LinkWindow Clean)> MeasureAsync(TimeSpan length, ITestOutputHelper output, string profile, Func<string>? serverLog = null)
    {
        var started = DateTime.UtcNow;
        var bad = new List<LinkSample>();
        var good = new List<LinkSample>();
        var sent = new List<LinkSample>();
        var badAt = new List<DateTime>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < length || bad.Count < 3)
        {
            bad.Add(await LinkSample.ReadAsync(Projector.Page));
            badAt.Add(DateTime.UtcNow);
            good.Add(await LinkSample.ReadAsync(Clean.Page));
            sent.Add(await LinkSample.ReadAsync(Teacher.Page));
            await Task.Delay(1000);
        }
        var result = (LinkWindow.Of(bad), LinkWindow.Of(good));
        output.WriteLine($"[{profile}] projector on the link: {result.Item1}");
        output.WriteLine($"[{profile}] clean projector: {result.Item2}");
        output.WriteLine($"[{profile}] {LinkWindow.SendRates(sent[0], sent[^1])}");
        output.WriteLine($"[{profile}] projector on the link receives: {LinkWindow.Receipt(bad[0], bad[^1])}");
        output.WriteLine($"[{profile}] clean projector receives: {LinkWindow.Receipt(good[0], good[^1])}");
        output.WriteLine($"[{profile}] {LinkWindow.Redundancy(bad[0], bad[^1], good[0], good[^1])}");
        output.WriteLine($"[{profile}] projector on the link, second by second (UTC):");
        foreach (var line in LinkWindow.Timeline(bad))
        {
            output.WriteLine(line);
        }
        if (serverLog is not null)
        {
            var log = serverLog();
            output.WriteLine($"[{profile}] {ConcealmentNearProbes(bad, badAt, SfuTrace.ProbeTimes(SfuTrace.Lines(log, ProjectorDeviceId, started, DateTime.UtcNow)))}");
            PrintSfuTrace(output, profile, log, started, DateTime.UtcNow);
        }
        return result;
    }

    /// <summary>
    /// Where the link projector's concealment fell: in the seconds from 3 s before to the end of a sample interval that saw
    /// the SFU probe (a probe's overshoot queues at the link's bottleneck ahead of the audio, which then comes late for the
    /// jitter buffer), or elsewhere (random loss that RED did not restore), each as a share of the window's audio.
    /// </summary>
    private static string ConcealmentNearProbes(IReadOnlyList<LinkSample> samples, IReadOnlyList<DateTime> at, IReadOnlyList<TimeSpan> probes)
    {
        var heard = samples[^1].AudioSamples - samples[0].AudioSamples;
        if (heard <= 0)
        {
            return "audio concealment near probes: no audio";
        }
        long near = 0, elsewhere = 0;
        var nearSeconds = 0.0;
        for (var i = 1; i < samples.Count; i++)
        {
            var concealed = samples[i].AudioConcealed - samples[i - 1].AudioConcealed;
            var from = at[i - 1].TimeOfDay - TimeSpan.FromSeconds(3);
            var to = at[i].TimeOfDay;
            if (probes.Any(p => p >= from && p <= to))
            {
                near += concealed;
                nearSeconds += (at[i] - at[i - 1]).TotalSeconds;
            }
            else
            {
                elsewhere += concealed;
            }
        }
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"audio concealed within 3 s after an SFU probe: {100.0 * near / heard:0.00} % of the window ({probes.Count} probe seconds, {nearSeconds:0} s of the window); elsewhere {100.0 * elsewhere / heard:0.00} %");
    }

    /// <summary>The SFU's trace of the link projector between two times (UTC): a summary line, then second by second.</summary>
    public void PrintSfuTrace(ITestOutputHelper output, string profile, string serverLog, DateTime from, DateTime to)
    {
        var lines = SfuTrace.Lines(serverLog, ProjectorDeviceId, from, to);
        output.WriteLine($"[{profile}] {SfuTrace.Summary(lines)}");
        output.WriteLine($"[{profile}] SFU's estimate for the projector on the link (kbit/s; probes started/validated/refused), second by second (UTC):");
        foreach (var (at, text) in lines)
        {
            output.WriteLine($"    {at:hh\\:mm\\:ss\\.f} {text}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Chromium inside the namespace goes first: deleting the namespace kills nothing that still runs in it.
        await Projector.DisposeAsync();
        await Clean.DisposeAsync();
        await Teacher.DisposeAsync();
    }
}
