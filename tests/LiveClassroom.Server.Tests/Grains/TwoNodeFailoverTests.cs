using System.Diagnostics;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Server.Tests.Grains;

/// <summary>Two nodes (own DI container and Node:Id each) over one PostgreSQL database: placement by lease and failover.</summary>
public sealed class TwoNodeFailoverTests
{
    private const string ClassId = "class-failover";
    private static readonly GrainKey Key = new(GrainKinds.Classroom, ClassId);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static RoomCaller Lead => new("teacher-1", "王老师", RoomRole.Lead, "lead-room");

    private static RoomCaller Device(int n) => new($"device-{n}", $"村小{n}", RoomRole.Classroom, $"rural-{n}", PrincipalKind.Device);

    private static async Task<ClassSnapshot> BusyClassAsync(IGrainFactory grains)
    {
        var room = grains.GetGrain<IClassroomGrain>(ClassId);
        await room.SetupAsync(RoomCaller.System, new ClassSetup(
            "数学", new PersonRef("teacher-1", "王老师"), new ClassroomRef("lead-room", "301"),
            [new ClassroomRef("rural-1", "村小1"), new ClassroomRef("rural-2", "村小2"), new ClassroomRef("rural-3", "村小3")]));
        await room.OpenAsync(Lead);
        await room.JoinAsync(Lead);
        foreach (var n in new[] { 3, 1, 2 })
        {
            await room.JoinAsync(Device(n));
        }
        await room.RaiseHandAsync(Device(1));
        await room.RaiseHandAsync(Device(3));
        await room.BringOnStageAsync(Lead, "rural-2");
        await room.SetClassroomMutedAsync(Lead, "rural-3", true);
        await room.PostChatAsync(Device(1), "老师，这道题怎么做？", isQuestion: true);
        return await room.GetSnapshotAsync(Lead);
    }

    /// <summary>Bounded polling: the other node answers "owned elsewhere" until the dead owner's lease expires.</summary>
    private static async Task<ClassSnapshot> SnapshotOnceOwnedAsync(IGrainFactory grains)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await grains.GetGrain<IClassroomGrain>(ClassId).GetSnapshotAsync(Lead);
            }
            catch (GrainOwnedElsewhereException) when (clock.Elapsed < Patience)
            {
                await Task.Delay(100);
            }
        }
    }

    private static void AssertRoomIntact(ClassSnapshot before, ClassSnapshot after)
    {
        Assert.Equal(ClassState.Live, after.State);
        Assert.Equal(["rural-1", "rural-3"], after.HandQueue);
        Assert.Equal(before.HandQueue, after.HandQueue);
        Assert.Equal([new StageSeat(1, "rural-2")], after.Stage);
        Assert.True(after.Classrooms.Single(c => c.ClassroomId == "rural-3").MutedByLead);
        Assert.Equal(before.Chat.Select(m => m.Text), after.Chat.Select(m => m.Text));
        foreach (var c in before.Classrooms)
        {
            var a = after.Classrooms.Single(x => x.ClassroomId == c.ClassroomId).Attendance;
            Assert.Equal(c.Attendance.FirstJoinedAt, a.FirstJoinedAt);
            Assert.True(a.MinutesPresent >= c.Attendance.MinutesPresent);
        }
        Assert.True(after.Sequence >= before.Sequence);
    }

    [Fact]
    public async Task OwnerDies_LeaseExpires_RoomActivatesOnOtherNodeWithHandsStageAndAttendance()
    {
        await using var db = await MigratedDatabase.CreateAsync("fo");
        var a = await GrainNode.StartAsync(db.Database.ConnectionString, "node-a", leaseSeconds: 5, renewSeconds: 1);
        await using var b = await GrainNode.StartAsync(db.Database.ConnectionString, "node-b", leaseSeconds: 5, renewSeconds: 1);
        var before = await BusyClassAsync(a.Grains);

        // While a renews (every second, for five-second leases — slack for a loaded test machine), b is told where the room lives.
        var redirect = await Assert.ThrowsAsync<GrainOwnedElsewhereException>(
            () => b.Grains.GetGrain<IClassroomGrain>(ClassId).GetSnapshotAsync(Lead));
        Assert.Equal("http://node-a:5080", redirect.OwnerUrl);

        await a.CrashAsync();
        var after = await SnapshotOnceOwnedAsync(b.Grains);

        AssertRoomIntact(before, after);
        Assert.Equal(2L, await db.ScalarAsync<long>($"SELECT epoch FROM room_leases WHERE id = '{ClassId}'"));
        Assert.Equal("node-b", await db.ScalarAsync<string>($"SELECT owner_node FROM room_leases WHERE id = '{ClassId}'"));
        // Rejoining on the new node resumes the same place; the room keeps numbering its events.
        var rejoined = await b.Grains.GetGrain<IClassroomGrain>(ClassId).JoinAsync(Device(1));
        Assert.Equal(1, rejoined.Classrooms.Single(c => c.ClassroomId == "rural-1").HandPosition);
        Assert.Equal(Enumerable.Range((int)before.Sequence + 1, b.Sink.Events.Count).Select(i => (long)i), b.Sink.Events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task OwnerRenews_PastLeaseDuration_KeepsTheRoom()
    {
        await using var db = await MigratedDatabase.CreateAsync("fo");
        await using var a = await GrainNode.StartAsync(db.Database.ConnectionString, "node-a", leaseSeconds: 5, renewSeconds: 1);
        await using var b = await GrainNode.StartAsync(db.Database.ConnectionString, "node-b", leaseSeconds: 5, renewSeconds: 1);
        await BusyClassAsync(a.Grains);
        var firstExpiry = await db.ScalarAsync<DateTime>($"SELECT expires_at FROM room_leases WHERE id = '{ClassId}'");

        // Bounded polling until the lease has been renewed beyond a whole lease duration past its first expiry.
        var clock = Stopwatch.StartNew();
        while (await db.ScalarAsync<DateTime>($"SELECT expires_at FROM room_leases WHERE id = '{ClassId}'") < firstExpiry.AddSeconds(5))
        {
            Assert.True(clock.Elapsed < Patience, "the owner never renewed its lease");
            await Task.Delay(100);
        }

        await Assert.ThrowsAsync<GrainOwnedElsewhereException>(() => b.Grains.GetGrain<IClassroomGrain>(ClassId).GetSnapshotAsync(Lead));
        Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT epoch FROM room_leases WHERE id = '{ClassId}'"));
        Assert.Contains(Key, a.Host.ActiveGrains);
    }

    [Fact]
    public async Task OwnerStopsGracefully_OtherNodeTakesOverAtOnce()
    {
        await using var db = await MigratedDatabase.CreateAsync("fo");
        var a = await GrainNode.StartAsync(db.Database.ConnectionString, "node-a", leaseSeconds: 15, renewSeconds: 5);
        await using var b = await GrainNode.StartAsync(db.Database.ConnectionString, "node-b", leaseSeconds: 15, renewSeconds: 5);
        var before = await BusyClassAsync(a.Grains);
        var sinkA = a.Sink;

        await a.DisposeAsync();
        var after = await b.Grains.GetGrain<IClassroomGrain>(ClassId).GetSnapshotAsync(Lead);

        AssertRoomIntact(before, after);
        Assert.Contains((Key, DeactivationReason.Shutdown), sinkA.Deactivations);
    }

    [Fact]
    public async Task Pairing_DefinedThroughGrain_ListedInRelationalTables()
    {
        await using var db = await MigratedDatabase.CreateAsync("fo");
        await using var a = await GrainNode.StartAsync(db.Database.ConnectionString, "node-a", leaseSeconds: 15, renewSeconds: 5);
        var pairing = a.Grains.GetGrain<IRemoteClassPairingGrain>("pairing-1");

        await pairing.DefineAsync(new RoomCaller("admin-1", "管理员", RoomRole.Admin), new PairingDefinition(
            "城乡结对 四年级数学", new ClassroomRef("lead-room", "301"), new PersonRef("teacher-1", "王老师"),
            [new ClassroomRef("rural-2", "村小2"), new ClassroomRef("rural-1", "村小1")], "数学", "四年级", "人教版"));

        Assert.Equal("城乡结对 四年级数学", await db.ScalarAsync<string>("SELECT name FROM pairings WHERE id = 'pairing-1'"));
        Assert.Equal("rural-2,rural-1", await db.ScalarAsync<string>(
            "SELECT string_agg(classroom_id, ',' ORDER BY position) FROM pairing_classrooms WHERE pairing_id = 'pairing-1'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM grain_state WHERE kind = 'pairing'"));
    }
}
