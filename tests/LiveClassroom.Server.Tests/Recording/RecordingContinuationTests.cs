using Dapper;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Server.Jobs;
using LiveClassroom.Server.Recording;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LiveClassroom.Server.Tests.Recording;

/// <summary>
/// A class's recording follows the class from a dead node to the node it moves to (issue #11): who owns a running
/// recording (node_id, owned_since, lease), the race between a recovery sweep and the continuation, and the recording
/// being finalized exactly once, on real PostgreSQL (and real ffmpeg for the parts).
/// </summary>
public sealed class RecordingContinuationTests(RecordingServerFactory factory) : IClassFixture<RecordingServerFactory>
{
    private const string DeadNode = "dead-node";

    private RecordingStore Store => factory.Services.GetRequiredService<RecordingStore>();

    private async Task<Guid> InsertRunningAsync(string room, string node, int leaseSeconds)
    {
        var teacher = await TestPeople.GetAsync(factory.Services, "teacher");
        var id = Guid.CreateVersion7();
        Assert.True(await Store.InsertIfNoneActiveAsync(id, room, teacher.OrganisationId, teacher.Id, node, leaseSeconds, "{}"));
        return id;
    }

    /// <summary>Moves a recording's lease to <paramref name="secondsFromNow"/> (negative: run out), as time passing would.</summary>
    private async Task SetLeaseAsync(Guid id, double secondsFromNow)
    {
        await using var conn = await factory.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await conn.ExecuteAsync("UPDATE recordings SET lease_until = now() + make_interval(secs => @s) WHERE id = @id", new { id, s = secondsFromNow });
    }

    /// <summary>
    /// An ad-hoc class (not recorded by itself), opened (and ended if asked). Rows of a live class's room are what the
    /// test server's own background sweep leaves alone for the grace, so only the test's calls claim them.
    /// </summary>
    private async Task<string> LiveClassAsync(bool end = false)
    {
        var teacher = await TestPeople.GetAsync(factory.Services, "teacher");
        await using var conn = await factory.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var lead = await conn.QuerySingleAsync<Guid>("SELECT id FROM classrooms WHERE school_id = @s", new { s = teacher.OrganisationId });
        var rural = await conn.QueryFirstAsync<Guid>("""
            SELECT c.id FROM classrooms c JOIN organisations o ON o.id = c.school_id WHERE o.is_rural ORDER BY o.name
            """);
        var classId = "cont." + Guid.NewGuid().ToString("N");
        var room = factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IClassroomGrain>(classId);
        await room.SetupAsync(RoomCaller.System, new ClassSetup("认识钟表", new PersonRef(teacher.Id.ToString(), "王芳"),
            new ClassroomRef(lead.ToString(), "主讲教室"), [new ClassroomRef(rural.ToString(), "专递课堂教室")]));
        var leadCaller = new RoomCaller(teacher.Id.ToString(), "王芳", RoomRole.Lead, lead.ToString());
        await room.OpenAsync(leadCaller);
        if (end)
        {
            await room.EndAsync(leadCaller);
        }
        return classId;
    }

    private RecordingRecovery Recovery =>
        factory.Services.GetServices<IHostedService>().OfType<RecordingRecovery>().Single();

    [Fact]
    public async Task Continue_OwnerLeaseStillValid_NewNodeOwnsItAndOldOwnerCanNoLongerWriteIt()
    {
        var room = "room-" + Guid.NewGuid().ToString("N");
        var id = await InsertRunningAsync(room, DeadNode, 30);
        Assert.Equal(0, await Store.ReservePartAsync(id, DeadNode));
        var before = (await Store.GetAsync(id))!;

        var continued = await Store.ContinueAsync(room, "node-b", 30);

        Assert.NotNull(continued);
        Assert.Equal(id, continued.Id);
        Assert.Equal("node-b", continued.NodeId);
        Assert.Equal(1, continued.Continuations);
        Assert.True(continued.OwnedSince > before.OwnedSince);
        // The old owner (a node that was only hung) can no longer extend, renew, end or fail what node-b records now.
        Assert.Null(await Store.ReservePartAsync(id, DeadNode));
        Assert.Empty(await Store.RenewLeasesAsync([id], DeadNode, 30));
        Assert.False(await Store.EndAsync(id, DeadNode, 0));
        Assert.False(await Store.FailAsync(id, DeadNode, "zombie", 0));
        // node-b's parts come after the dead node's.
        Assert.Equal(1, await Store.ReservePartAsync(id, "node-b"));
        Assert.Equal([id], await Store.RenewLeasesAsync([id], "node-b", 30));
        var row = (await Store.GetAsync(id))!;
        Assert.Equal(("recording", "node-b", 2), (row.Status, row.NodeId, row.Parts));
        Assert.True(await Store.EndAsync(id, "node-b", 0));
        Assert.Null(await Store.ContinueAsync(room, "node-c", 30));
    }

    [Fact]
    public async Task ClaimOrphanAndContinue_Racing_ExactlyOneWinsEveryRecording()
    {
        var rooms = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            rooms.Add(await LiveClassAsync());
        }
        var ids = new List<Guid>();
        foreach (var room in rooms)
        {
            var id = await InsertRunningAsync(room, DeadNode, 30);
            await SetLeaseAsync(id, -1);
            ids.Add(id);
        }
        // What a sweep on node-c examined, before the class moved to node-b and continued there.
        var seen = (await Store.OrphansAsync("node-c", false, [], DateTimeOffset.UtcNow)).Where(r => ids.Contains(r.Id)).ToDictionary(r => r.Id);
        Assert.Equal(ids.Count, seen.Count);

        var outcomes = await Task.WhenAll(ids.Select(async (id, i) =>
        {
            var claim = Task.Run(() => Store.ClaimOrphanAsync(seen[id], "node-c", false, DateTimeOffset.UtcNow));
            var cont = Task.Run(() => Store.ContinueAsync(rooms[i], "node-b", 30));
            return (Id: id, Claimed: await claim, Continued: await cont);
        }));

        foreach (var (id, claimed, continued) in outcomes)
        {
            Assert.True(claimed is null != continued is null, $"{id}: claimed {claimed is not null}, continued {continued is not null}");
            var row = (await Store.GetAsync(id))!;
            if (claimed is not null)
            {
                Assert.Equal(("finalizing", DeadNode, true), (row.Status, row.NodeId, row.Recovered));
            }
            else
            {
                Assert.Equal(("recording", "node-b", false), (row.Status, row.NodeId, row.Recovered));
            }
        }
    }

    [Fact]
    public async Task ClaimOrphan_AfterContinuation_ClaimsNothing_AndTwoSweepersClaimOnce()
    {
        var continuedRoom = await LiveClassAsync();
        var continuedId = await InsertRunningAsync(continuedRoom, DeadNode, 30);
        await SetLeaseAsync(continuedId, -1);
        var orphanRoom = await LiveClassAsync();
        var orphanId = await InsertRunningAsync(orphanRoom, DeadNode, 30);
        await SetLeaseAsync(orphanId, -1);
        var seen = (await Store.OrphansAsync("node-c", false, [], DateTimeOffset.UtcNow)).ToDictionary(r => r.Id);

        Assert.NotNull(await Store.ContinueAsync(continuedRoom, "node-b", 30));
        Assert.Null(await Store.ClaimOrphanAsync(seen[continuedId], "node-c", false, DateTimeOffset.UtcNow));
        Assert.Equal("recording", (await Store.GetAsync(continuedId))!.Status);

        var claims = await Task.WhenAll(
            Task.Run(() => Store.ClaimOrphanAsync(seen[orphanId], "node-c", false, DateTimeOffset.UtcNow)),
            Task.Run(() => Store.ClaimOrphanAsync(seen[orphanId], "node-d", false, DateTimeOffset.UtcNow)));
        Assert.Single(claims, c => c is not null);
        // Claimed for finalizing: a class that comes back later starts nothing on it.
        Assert.Null(await Store.ContinueAsync(orphanRoom, "node-b", 30));
    }

    [Fact]
    public async Task RecoverySweep_ClassStillLive_WaitsForContinuationUntilTheGraceEnds()
    {
        var classId = await LiveClassAsync();
        var id = await InsertRunningAsync(classId, DeadNode, 30);
        await SetLeaseAsync(id, -1);

        await Recovery.RecoverAsync(includeOwn: false, CancellationToken.None);
        Assert.Equal(("recording", DeadNode), ((await Store.GetAsync(id))!.Status, (await Store.GetAsync(id))!.NodeId));

        // Nobody continued it within the grace (60 s after the lease ran out): finalized with what it has.
        await SetLeaseAsync(id, -61);
        await Recovery.RecoverAsync(includeOwn: false, CancellationToken.None);
        var row = await RecorderTests.WaitForStatusAsync(factory, id, "finalizing", "ready", "failed");
        Assert.True(row.Recovered);
    }

    [Fact]
    public async Task RecoverySweep_ClassEnded_FinalizesAtOnce()
    {
        var classId = await LiveClassAsync(end: true);
        var id = await InsertRunningAsync(classId, DeadNode, 30);
        await SetLeaseAsync(id, -1);

        await Recovery.RecoverAsync(includeOwn: false, CancellationToken.None);

        var row = await RecorderTests.WaitForStatusAsync(factory, id, "finalizing", "ready", "failed");
        Assert.True(row.Recovered);
        Assert.Equal(DeadNode, row.NodeId);
    }

    [Fact]
    public async Task Shutdown_ClassStillLive_RecordingHandedOffWithItsLastSegment_ContinuedElsewhereFinalizedOnce()
    {
        var classId = await LiveClassAsync();
        var teacher = await TestPeople.GetAsync(factory.Services, "teacher");
        var nodeA = new RecordingService(factory.Services.GetRequiredService<RecordingOptions>(), Store,
            factory.Services.GetRequiredService<JobQueue>(),
            new NodeIdentity(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Node:Id"] = "node-a" }).Build()),
            factory.Services.GetRequiredService<IHostEnvironment>(), factory.Services.GetRequiredService<ILogger<RecordingService>>());
        var first = await nodeA.StartAsync(new StartRecordingRequest(classId, teacher.OrganisationId, teacher.Id))
            ?? throw new InvalidOperationException("not started");
        var id = first.RecordingId;
        double fedBefore;
        await using (var feeder = RtpFeeder.Start(first, "h264", 30))
        {
            await Eventually.WaitAsync(() => Task.FromResult(ListedSegments(first.Directory, 0)), n => n >= 2, TimeSpan.FromSeconds(60), "2 closed segments");
            fedBefore = feeder.FedSeconds;
            // node-a shuts down (a rolling restart) while the class goes on.
            await nodeA.DisposeAsync();
        }

        var handedOff = (await Store.GetAsync(id))!;
        Assert.Equal(("recording", "node-a"), (handedOff.Status, handedOff.NodeId));
        Assert.True(handedOff.LeaseUntil <= DateTime.UtcNow.AddSeconds(1), $"lease until {handedOff.LeaseUntil:O}");
        Assert.Empty(nodeA.ActiveIds);
        // The part was closed, not killed: its last segment is listed (a killed ffmpeg loses up to one segment).
        var listed = SegmentCatalog.ListedSeconds(first.Directory);
        Assert.True(listed >= fedBefore - 1.5, $"{listed:0.0} s listed of {fedBefore:0.0} s fed");
        Assert.Contains(await Store.ChaptersAsync(id), c => c.Type == "class_started");

        // The class's next activation (on this test server's node) continues the same recording.
        var recordings = factory.Services.GetRequiredService<RecordingService>();
        var second = await recordings.ContinueAsync(classId) ?? throw new InvalidOperationException("not continued");
        Assert.Equal(id, second.RecordingId);
        var (row, fedAfter) = await FeedStopAndFinalizeAsync(second);
        Assert.True(row.DurationSeconds >= fedBefore - 1.5 + fedAfter - 2, $"{row.DurationSeconds} s of {fedBefore:0.0} + {fedAfter:0.0} s fed");
        await AssertFinalizedOnceAsync(id);
    }

    [Fact]
    public async Task Continue_AfterRecordingNodeDied_RecordsFurtherPartOfSameRecordingFinalizedOnce()
    {
        var recordings = factory.Services.GetRequiredService<RecordingService>();
        var teacher = await TestPeople.GetAsync(factory.Services, "teacher");
        var room = "room-" + Guid.NewGuid().ToString("N");
        var first = await recordings.StartAsync(new StartRecordingRequest(room, teacher.OrganisationId, teacher.Id))
            ?? throw new InvalidOperationException("not started");
        var id = first.RecordingId;
        double fedBefore;
        await using (var feeder = RtpFeeder.Start(first, "h264", 30))
        {
            await Eventually.WaitAsync(() => Task.FromResult(ListedSegments(first.Directory, 0)), n => n >= 2, TimeSpan.FromSeconds(60), "2 closed segments");
            fedBefore = feeder.FedSeconds;
            // The recording node dies: its recorder and ffmpeg are gone, its row says it still records, with a lease still valid.
            await recordings.AbandonAsync(id);
        }
        await using (var conn = await factory.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        {
            await conn.ExecuteAsync("UPDATE recordings SET node_id = @dead WHERE id = @id", new { id, dead = DeadNode });
        }

        // The class moved to this node: the same recording goes on here.
        var second = await recordings.ContinueAsync(room) ?? throw new InvalidOperationException("not continued");
        Assert.Equal(id, second.RecordingId);
        Assert.Null(await recordings.ContinueAsync(room));
        Assert.True(second.Elapsed.TotalSeconds >= 2 * 2 - 0.5, $"the continuation's timeline starts at {second.Elapsed.TotalSeconds:0.0} s");
        var (row, fedAfter) = await FeedStopAndFinalizeAsync(second);
        Assert.True(Directory.Exists(Path.Combine(first.Directory, RecordingPaths.PartName(1))));
        // Both parts: what the dead node had closed (its last segment cut at most one segment short) and the continuation.
        Assert.True(row.DurationSeconds >= fedBefore - 2.5 + fedAfter - 2, $"{row.DurationSeconds} s of {fedBefore:0.0} + {fedAfter:0.0} s fed");
        await using var db = await factory.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM resources WHERE recording_id = @id", new { id }));
        await AssertFinalizedOnceAsync(id);
    }

    /// <summary>Feeds the continuing recorder 6 s, ends the class's recording and waits for it: ready, from two parts, continued once.</summary>
    private async Task<(RecordingRow Row, double FedSeconds)> FeedStopAndFinalizeAsync(Recorder continuing)
    {
        await using var feeder = RtpFeeder.Start(continuing, "h264", 6);
        await feeder.WaitAsync();
        await continuing.StopAsync();
        var row = await RecorderTests.WaitForStatusAsync(factory, continuing.RecordingId, "ready", "failed");
        Assert.True(row.Status == "ready", $"{row.Status}: {row.FailureReason}");
        Assert.Equal(2, row.Parts);
        Assert.Equal(1, row.Continuations);
        Assert.False(row.Recovered);
        return (row, feeder.FedSeconds);
    }

    private async Task AssertFinalizedOnceAsync(Guid id)
    {
        await using var db = await factory.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM jobs WHERE kind = @kind AND dedupe_key = @key", new { kind = RecordingService.FinalizeJobKind, key = id.ToString("N") }));
    }

    private static int ListedSegments(string recordingDirectory, int part)
    {
        var playlist = Path.Combine(recordingDirectory, RecordingPaths.PartName(part), RecordingPaths.LivePlaylist);
        return File.Exists(playlist) ? File.ReadAllText(playlist).Split("#EXTINF").Length - 1 : 0;
    }
}
