using System.Security.Cryptography;
using LiveClassroom.Server.Library;
using LiveClassroom.Server.Recording;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Recording;

public sealed class FinalizeJobTests(RecordingServerFactory factory) : IClassFixture<RecordingServerFactory>
{
    private static string Hash(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    [Fact]
    public async Task Finalize_RunTwice_SameOutputsAndOneResource()
    {
        _ = factory.Server;
        var id = await SyntheticRecording.CreateAsync(factory, "teacher", new CourseInfo("两次", "小学", "三年级", "数学"));
        var finalizer = factory.Services.GetRequiredService<RecordingFinalizer>();
        var dir = RecordingPaths.Directory(factory.Services.GetRequiredService<RecordingService>().Root, id);
        string[] outputs = [RecordingPaths.Mp4, RecordingPaths.VodPlaylist, RecordingPaths.Poster, RecordingPaths.ChaptersVtt];
        // No job is queued for it: the handler runs directly, twice, as a retried or duplicated job would.
        await finalizer.FinalizeAsync(id, _ => Task.CompletedTask, default);
        var first = outputs.Select(o => Hash(Path.Combine(dir, o))).ToList();
        var firstRow = await factory.Services.GetRequiredService<RecordingStore>().GetAsync(id);

        await finalizer.FinalizeAsync(id, _ => Task.CompletedTask, default);

        Assert.Equal(first, outputs.Select(o => Hash(Path.Combine(dir, o))));
        var row = await factory.Services.GetRequiredService<RecordingStore>().GetAsync(id);
        Assert.Equal("ready", row!.Status);
        Assert.Equal(firstRow!.DurationSeconds, row.DurationSeconds);
        Assert.Equal(1, await factory.Services.GetRequiredService<LibraryStore>().CountByRecordingAsync(id));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public async Task FinalizeJob_QueuedTwice_RunsOnceAndRecordingBecomesReady()
    {
        _ = factory.Server;
        var id = await SyntheticRecording.CreateAsync(factory, "teacher", new CourseInfo("排队"));
        var recordings = factory.Services.GetRequiredService<RecordingService>();

        var a = await recordings.EnqueueFinalizeAsync(id, null);
        var b = await recordings.EnqueueFinalizeAsync(id, null);

        Assert.Equal(a, b);
        var row = await RecorderTests.WaitForStatusAsync(factory, id, "ready", "failed");
        Assert.True(row.Status == "ready", $"{row.Status}: {row.FailureReason}");
        Assert.InRange(row.DurationSeconds!.Value, 3, 5);
    }

    [Fact]
    public async Task FinalizeJob_RecordingStillRunning_AttemptFailsAndIsRetried()
    {
        _ = factory.Server;
        var teacher = await TestPeople.GetAsync(factory.Services, "teacher");
        var store = factory.Services.GetRequiredService<RecordingStore>();
        var id = Guid.CreateVersion7();
        Assert.True(await store.InsertIfNoneActiveAsync(id, "room-running", teacher.OrganisationId, teacher.Id, "other-node", 300, "{}"));
        var jobs = factory.Services.GetRequiredService<Server.Jobs.JobQueue>();

        var jobId = await factory.Services.GetRequiredService<RecordingService>().EnqueueFinalizeAsync(id, teacher.OrganisationId);
        var job = await Eventually.WaitAsync(async () => (await jobs.GetAsync(jobId))!, j => j.Attempts >= 2, TimeSpan.FromSeconds(30), "two attempts");

        Assert.Contains("still recording", job.LastError, StringComparison.Ordinal);
        Assert.Equal("recording", (await store.GetAsync(id))!.Status);
    }

    [Fact]
    public async Task Finalize_PartStartsWithSegmentWithoutPicture_SkipsThatSegmentAndKeepsThePart()
    {
        // A publisher came back and its new part's first segment holds sound only (its video still waited for a
        // keyframe): the part is kept from its first picture on, not left out.
        _ = factory.Server;
        var id = await SyntheticRecording.CreateAsync(factory, "teacher", new CourseInfo("回来"));
        var dir = RecordingPaths.Directory(factory.Services.GetRequiredService<RecordingService>().Root, id);
        var first = Path.Combine(dir, RecordingPaths.PartName(0));
        var second = Path.Combine(dir, RecordingPaths.PartName(1));
        Directory.CreateDirectory(second);
        await File.WriteAllTextAsync(Path.Combine(second, RecordingPaths.SessionSdp), "v=0\nm=audio 20000 RTP/AVP 111\nm=video 20002 RTP/AVP 96\n");
        await PicturelessSegmentAsync(Path.Combine(second, "seg_00000.ts"));
        File.Copy(Path.Combine(first, "seg_00000.ts"), Path.Combine(second, "seg_00001.ts"));
        File.Copy(Path.Combine(first, "seg_00001.ts"), Path.Combine(second, "seg_00002.ts"));

        await factory.Services.GetRequiredService<RecordingFinalizer>().FinalizeAsync(id, _ => Task.CompletedTask, default);

        var row = await factory.Services.GetRequiredService<RecordingStore>().GetAsync(id);
        Assert.Equal("ready", row!.Status);
        Assert.True(row.HasVideo);
        var mp4 = await MediaProbe.ProbeAsync(Path.Combine(dir, RecordingPaths.Mp4));
        Assert.NotNull(mp4);
        Assert.Equal(["video:h264", "audio:aac"], mp4.Streams);
        // 4 s from each part; the second part's 2 s of sound before its picture are left out.
        Assert.InRange(mp4.Duration, 7, 9);
        Assert.DoesNotContain("p001/seg_00000.ts", await File.ReadAllTextAsync(Path.Combine(dir, RecordingPaths.VodPlaylist)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finalize_NoPartHasAPicture_SoundOnlyRecordingInsteadOfFailing()
    {
        // Its video stream has no dimensions, which the MP4 muxer refuses: every attempt used to fail.
        _ = factory.Server;
        var id = await SyntheticRecording.CreateAsync(factory, "teacher", new CourseInfo("无画面"));
        var part = Path.Combine(RecordingPaths.Directory(factory.Services.GetRequiredService<RecordingService>().Root, id), RecordingPaths.PartName(0));
        foreach (var file in Directory.GetFiles(part))
        {
            File.Delete(file);
        }
        await File.WriteAllTextAsync(Path.Combine(part, RecordingPaths.SessionSdp), "v=0\nm=audio 20000 RTP/AVP 111\nm=video 20002 RTP/AVP 96\n");
        await PicturelessSegmentAsync(Path.Combine(part, "seg_00000.ts"));

        await factory.Services.GetRequiredService<RecordingFinalizer>().FinalizeAsync(id, _ => Task.CompletedTask, default);

        var row = await factory.Services.GetRequiredService<RecordingStore>().GetAsync(id);
        Assert.Equal("ready", row!.Status);
        Assert.False(row.HasVideo);
        var mp4 = await MediaProbe.ProbeAsync(Path.Combine(RecordingPaths.Directory(factory.Services.GetRequiredService<RecordingService>().Root, id), RecordingPaths.Mp4));
        Assert.NotNull(mp4);
        Assert.Equal(["audio:aac"], mp4.Streams);
        Assert.InRange(mp4.Duration, 1.5, 2.5);
    }

    /// <summary>2 s of sound and a video stream without a single frame, as ffmpeg writes a part whose video waits for a keyframe.</summary>
    private static async Task PicturelessSegmentAsync(string path)
    {
        var r = await FfmpegRunner.RunAsync("ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
             "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-map", "0:a", "-map", "1:v", "-t", "2", "-frames:v", "0",
             "-c:v", "libx264", "-c:a", "aac", "-b:a", "64k", "-f", "mpegts", path], TimeSpan.FromSeconds(60), default);
        Assert.True(r.Ok, r.StdErrTail);
    }
}
