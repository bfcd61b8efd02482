using LiveClassroom.Server.Recording;
using LiveClassroom.Server.Tests.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Recording;

/// <summary>ffmpeg dying, the node dying: what was recorded stays playable and ends up finalized.</summary>
public sealed class RecorderCrashTests
{
    private static async Task<Recorder> StartAsync(RecordingServerFactory f, string room)
    {
        var teacher = await TestPeople.GetAsync(f.Services, "teacher");
        return await f.Services.GetRequiredService<RecordingService>().StartAsync(new StartRecordingRequest(room, teacher.OrganisationId, teacher.Id))
            ?? throw new InvalidOperationException($"{room} already has an active recording");
    }

    private static Task WaitForClosedSegmentsAsync(Recorder recorder, int count) =>
        Eventually.WaitAsync(() =>
        {
            var playlist = Path.Combine(recorder.Directory, RecordingPaths.PartName(0), RecordingPaths.LivePlaylist);
            return Task.FromResult(File.Exists(playlist) ? File.ReadAllText(playlist).Split("#EXTINF").Length - 1 : 0);
        }, n => n >= count, TimeSpan.FromSeconds(60), $"{count} closed segment(s)");

    [Fact]
    public async Task KillFfmpeg_NoRestartBudget_RecordingFailsWithReasonAndSegmentsAreSalvaged()
    {
        await using var f = new RecordingServerFactory();
        f.Settings["Recordings:MaxFfmpegRestarts"] = "0";
        await f.InitializeAsync();
        _ = f.Server;
        var recorder = await StartAsync(f, "room-kill");
        await using var feeder = RtpFeeder.Start(recorder, "h264", 8);
        await WaitForClosedSegmentsAsync(recorder, 2);

        recorder.CurrentFfmpeg!.KillUnexpectedly();
        var row = await Eventually.WaitAsync(async () => (await f.Services.GetRequiredService<RecordingStore>().GetAsync(recorder.RecordingId))!,
            r => r.Status == "failed" && r.Playable, TimeSpan.FromSeconds(90), "failed and salvaged");
        await feeder.StopAsync();

        Assert.Contains("exited unexpectedly with code 137", row.FailureReason, StringComparison.Ordinal);
        Assert.Contains("restart budget", row.FailureReason, StringComparison.Ordinal);
        var part = Path.Combine(recorder.Directory, RecordingPaths.PartName(0));
        foreach (var segment in Directory.GetFiles(part, "seg_*.ts").Order().Take(2))
        {
            var info = await MediaProbe.ProbeAsync(segment);
            Assert.NotNull(info);
            Assert.Contains("video:h264", info.Streams);
            Assert.True(info.Duration > 1, $"{segment}: {info.Duration} s");
        }
        var mp4 = await MediaProbe.ProbeAsync(Path.Combine(recorder.Directory, RecordingPaths.Mp4));
        Assert.NotNull(mp4);
        Assert.True(mp4.Duration >= 3.5, $"salvaged {mp4.Duration} s");
    }

    [Fact]
    public async Task KillFfmpeg_WithRestartBudget_RecordingGoesOnInANewPart()
    {
        await using var f = new RecordingServerFactory();
        await f.InitializeAsync();
        _ = f.Server;
        var recorder = await StartAsync(f, "room-restart");
        await using var feeder = RtpFeeder.Start(recorder, "h264", 9);
        await WaitForClosedSegmentsAsync(recorder, 1);
        using var meters = new MeterCapture(RecordingMeters.MeterName);

        recorder.CurrentFfmpeg!.KillUnexpectedly();
        await feeder.WaitAsync();
        await recorder.StopAsync();

        var row = await RecorderTests.WaitForStatusAsync(f, recorder.RecordingId, "ready", "failed");
        Assert.True(row.Status == "ready", $"{row.Status}: {row.FailureReason}");
        Assert.Equal(1, row.Incidents);
        Assert.Equal(2, row.Parts);
        Assert.Contains("exited unexpectedly", row.FailureReason, StringComparison.Ordinal);
        Assert.True(row.DurationSeconds > feeder.FedSeconds - 3, $"{row.DurationSeconds} s of {feeder.FedSeconds} s");
        // The restart is counted for operators, and the finalize that followed it timed.
        Assert.NotEmpty(meters.Values("liveclassroom.recordings.ffmpeg_restarts", "outcome", "restarted"));
        // The finalize job marks the row ready before its duration is recorded (in its finally), so wait for it.
        var finalizeTimes = await Eventually.WaitAsync(() => Task.FromResult(meters.Values("liveclassroom.recordings.finalize.duration", "outcome", "done").ToList()),
            v => v.Count > 0, TimeSpan.FromSeconds(10), "the finalize duration recorded");
        Assert.Contains(finalizeTimes, v => v > 0);
    }

    [Fact]
    public async Task ServerDeath_RecorderAbandoned_RestartRecoversAndFinalizesFromSegments()
    {
        await using var first = new RecordingServerFactory();
        await first.InitializeAsync();
        _ = first.Server;
        var recorder = await StartAsync(first, "room-death");
        var feeder = RtpFeeder.Start(recorder, "h264", 30);
        await WaitForClosedSegmentsAsync(recorder, 3);
        var fedAtDeath = feeder.FedSeconds;
        await first.Services.GetRequiredService<RecordingService>().AbandonAsync(recorder.RecordingId);
        await feeder.DisposeAsync();
        var store = first.Services.GetRequiredService<RecordingStore>();
        Assert.Equal("recording", (await store.GetAsync(recorder.RecordingId))!.Status);

        await using var restarted = first.Restarted();
        _ = restarted.Server;
        var row = await RecorderTests.WaitForStatusAsync(restarted, recorder.RecordingId, "ready", "failed");

        Assert.True(row.Status == "ready", $"{row.Status}: {row.FailureReason}");
        Assert.True(row.Recovered);
        // Everything up to the kill: the closed segments plus the one being written, minus at most one segment.
        Assert.InRange(row.DurationSeconds!.Value, fedAtDeath - 2.5, fedAtDeath + 1);
        var mp4 = await MediaProbe.ProbeAsync(Path.Combine(recorder.Directory, RecordingPaths.Mp4));
        Assert.NotNull(mp4);
        Assert.Equal(["video:h264", "audio:aac"], mp4.Streams);
    }

    [Fact]
    public async Task StartPart_DiskBelowMinimumFree_RecordingFailsWithDiskFullReason()
    {
        await using var f = new RecordingServerFactory();
        f.Settings["Recordings:MinFreeMegabytes"] = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await f.InitializeAsync();
        _ = f.Server;
        var recorder = await StartAsync(f, "room-full");
        await using var feeder = RtpFeeder.Start(recorder, "h264", 3);

        var row = await Eventually.WaitAsync(async () => (await f.Services.GetRequiredService<RecordingStore>().GetAsync(recorder.RecordingId))!,
            r => r.Status == "failed", TimeSpan.FromSeconds(30), "failed");

        Assert.StartsWith("disk full (ENOSPC)", row.FailureReason, StringComparison.Ordinal);
        Assert.False(row.Playable);
        Assert.Equal(0, row.Parts);
    }
}
