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
        Assert.Equal("ready", row.Status);
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
}
