using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LiveClassroom.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>
/// A class longer than one 16-bit RTP sequence cycle (issue #19: video stopped on every projector 32,768 packets
/// into a class, ≈ 2.8 minutes). The lead teacher publishes the fake camera at 720p through the console page; the
/// projector's decoder must keep producing frames in every 10-second window until well past the wrap.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LongClassTests(EndToEndFixture fx, ITestOutputHelper output)
{
    private const int SequenceHalfCycle = 32_768;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinimumClass = TimeSpan.FromMinutes(4);
    /// <summary>A generous cap for a loaded machine, where the encoder may send fewer packets per second.</summary>
    private static readonly TimeSpan MaximumClass = TimeSpan.FromMinutes(12);
    /// <summary>Windows that must pass after the sender crossed 32,768 packets (the SFU's epoch starts a little later).</summary>
    private const int WindowsPastTheWrap = 3;

    [Fact]
    public async Task LongClass_TeacherVideoPast32768Packets_ProjectorKeepsDecodingEveryWindow()
    {
        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), ruralCount: 1);
        var token = await fx.Api.PairDeviceAsync(scenario.RuralClassrooms[0].Id, "投影电脑 1");
        // The fake camera's picture is simple, so the encoder stays far below the SFU's 3 Mbps REMB (≈ 700 kbps measured
        // at 720p30, 90 packets/s). Every frame costs at least one packet: 60 fps makes the wrap come sooner.
        await using var teacher = await fx.LaunchAsync(fakeDeviceOptions: "fps=60");
        await using var projector = await fx.LaunchAsync();
        await ClassPages.StartProjectorAsync(projector, token);
        await ClassPages.OpenClassAsTeacherAsync(teacher, scenario);
        await projector.Page.WaitForFunctionAsync("() => { const v = document.querySelector('[data-testid=teacher-video]'); return v && v.currentTime > 1; }",
            null, new() { Timeout = 60_000 });

        var clock = Stopwatch.StartNew();
        var before = await SampleAsync(teacher, projector);
        int windows = 0, windowsPast = 0;
        output.WriteLine("window  t(s)  sent pkts  pkts/s  kbps  res  fps  limit  projector frames  +frames");
        while (true)
        {
            // The measurement window itself: frames must appear within every one of them.
            await Task.Delay(Window);
            var now = await SampleAsync(teacher, projector);
            windows++;
            var seconds = (now.At - before.At).TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{windows,6}  {clock.Elapsed.TotalSeconds,4:F0}  {now.PacketsSent,9:F0}  {(now.PacketsSent - before.PacketsSent) / seconds,6:F0}  " +
                $"{(now.BytesSent - before.BytesSent) * 8 / seconds / 1000,4:F0}  {now.Resolution}  {now.Fps,3:F0}  {now.Limit}  {now.FramesDecoded,16:F0}  {now.FramesDecoded - before.FramesDecoded,7:F0}"));
            Assert.True(now.FramesDecoded > before.FramesDecoded,
                $"the projector decoded no frame between {clock.Elapsed.TotalSeconds - seconds:F0} s and {clock.Elapsed.TotalSeconds:F0} s " +
                $"(teacher's video packets sent: {now.PacketsSent:F0}, frames decoded: {now.FramesDecoded:F0})");
            if (before.PacketsSent > SequenceHalfCycle)
            {
                windowsPast++;
            }
            before = now;
            if ((clock.Elapsed >= MinimumClass && windowsPast >= WindowsPastTheWrap) || clock.Elapsed >= MaximumClass)
            {
                break;
            }
        }
        Assert.True(windowsPast >= WindowsPastTheWrap,
            $"the teacher sent only {before.PacketsSent:F0} video packets in {clock.Elapsed.TotalMinutes:F1} min: the class never went " +
            $"{WindowsPastTheWrap} windows past {SequenceHalfCycle} packets, so it says nothing about the sequence wrap");
        teacher.AssertNoConsoleErrors();
        projector.AssertNoConsoleErrors();
    }

    private sealed record Sample(DateTime At, double PacketsSent, double BytesSent, string Resolution, double Fps, string Limit, double FramesDecoded);

    private static async Task<Sample> SampleAsync(BrowserSession teacher, BrowserSession projector)
    {
        var sent = await teacher.Page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = { packets: 0, bytes: 0, res: '', fps: 0, limit: '' };
              (await window.lcLive.media.pc.getStats()).forEach(s => {
                if (s.type !== 'outbound-rtp' || s.kind !== 'video') return;
                r.packets += s.packetsSent ?? 0;
                r.bytes += s.bytesSent ?? 0;
                r.res = `${s.frameWidth}x${s.frameHeight}`;
                r.fps = s.framesPerSecond ?? 0;
                r.limit = s.qualityLimitationReason ?? '';
              });
              return r;
            }
            """);
        var frames = await projector.Page.EvaluateAsync<double>("() => window.lcLive.media.framesDecoded('main')");
        return new Sample(DateTime.UtcNow, sent.GetProperty("packets").GetDouble(), sent.GetProperty("bytes").GetDouble(),
            sent.GetProperty("res").GetString()!, sent.GetProperty("fps").GetDouble(), sent.GetProperty("limit").GetString()!, frames);
    }
}
