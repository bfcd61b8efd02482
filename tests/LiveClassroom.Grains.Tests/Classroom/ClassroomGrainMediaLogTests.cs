using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Rooms;
using Orleans.TestingHost;

namespace LiveClassroom.Grains.Tests.Classroom;

/// <summary>
/// A media negotiation's commit stores the class's media log (row kind <c>classroommedia</c>) instead of the whole class:
/// offers arriving together share a few small writes, and a silo killed after the answers loses none of them.
/// </summary>
public sealed class ClassroomGrainMediaLogTests
{
    private const string MediaKind = GrainKinds.Classroom + RoomStorage.MediaSection;

    /// <summary>Each device publishes mids of its own, so a recovered participant shows whose negotiation it kept.</summary>
    private static MediaOffer Offer(int n) =>
        new("v=0", new PublishedTracks($"c{n}", $"m{n}"), [new ReceiveSlot("main", $"r{n}"), new ReceiveSlot("main-audio", $"a{n}")]);

    [Fact]
    public async Task ConnectMedia_BurstOfOffers_FewMediaLogWritesNoWholeWriteAndEveryAnswerSurvivesItsSiloKilled()
    {
        const int devices = 40;
        await using var host = await TestGrainHost.CreateWithSilosAsync(3);
        var management = host.Cluster.GrainFactory.GetGrain<IManagementGrain>(0);
        var (room, classId, silo) = await LiveClassOnASecondarySiloAsync(host, devices);
        var key = new GrainKey(GrainKinds.Classroom, classId);
        for (var n = 1; n <= devices; n++)
        {
            await room.JoinAsync(ClassScenario.Device(n));
        }
        var wholeBefore = await VersionAsync(host, GrainKinds.Classroom, classId);
        var logBefore = await VersionAsync(host, MediaKind, classId);

        // Every offer reaches the media plane before any is answered: they are all in the grain at once.
        var allNegotiating = host.Media.HoldNegotiations(devices);
        var offers = Enumerable.Range(1, devices).Select(n => room.ConnectMediaAsync(ClassScenario.Device(n), Offer(n))).ToList();
        await allNegotiating.WaitAsync(TimeSpan.FromSeconds(30));
        host.Media.Release();
        await Task.WhenAll(offers);

        var wholeWrites = await VersionAsync(host, GrainKinds.Classroom, classId) - wholeBefore;
        var logWrites = await VersionAsync(host, MediaKind, classId) - logBefore;
        Console.WriteLine($"{devices} offers: {logWrites} media log writes ({await SizeAsync(host, MediaKind, classId)} B stored), "
            + $"{wholeWrites} whole writes (the class's row: {await SizeAsync(host, GrainKinds.Classroom, classId)} B)");
        Assert.Equal(0, wholeWrites);
        Assert.InRange(logWrites, 1, 4);
        var burst = host.Events.EventsOf(key).Where(e => e.Type == ClassEventTypes.MediaChanged).ToList();
        Assert.Equal(devices, burst.Count);

        await host.Cluster.KillSiloAsync(host.Cluster.Silos.Single(s => s.SiloAddress.Equals(silo)));
        await ClassroomGrainDirectoryLossTests.WaitDeclaredDeadAsync(host.Cluster, silo);
        var after = await room.GetSnapshotAsync(ClassScenario.Lead);

        Assert.NotEqual(silo, await management.GetActivationAddress(room));
        for (var n = 1; n <= devices; n++)
        {
            var device = after.Participants.Single(p => p.PrincipalId == $"device-{n}");
            Assert.Equal(new PublishedTracks($"c{n}", $"m{n}"), device.Publishes);
            // Its media connection did not survive the move (it negotiates again on its rejoin): reconnecting, place kept.
            Assert.Equal(ConnectionState.Reconnecting, device.Connection);
        }
        // The numbering went on after the burst's events: none of their sequence numbers was given out again.
        var events = host.Events.EventsOf(key);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(events[^1].Sequence, after.Sequence);
    }

    [Fact]
    public async Task ConnectMedia_LogPastItsLimit_WrittenWholeAndNothingLostOnReload()
    {
        // 35 rural classrooms, each with its projector and its assistant teacher: 71 participants with the lead.
        const int rural = 35;
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host, ruralCount: rural);
        var callers = Enumerable.Range(1, rural).SelectMany(n => new[] { ClassScenario.Device(n), ClassScenario.Assistant(n) }).ToList();
        foreach (var caller in callers)
        {
            await room.JoinAsync(caller);
        }
        var wholeBefore = await VersionAsync(host, GrainKinds.Classroom, ClassScenario.ClassId);

        // A log carries at most 64 participants (the limit's floor at 71), so 70 offers together need a whole write.
        var allNegotiating = host.Media.HoldNegotiations(callers.Count);
        var offers = callers.Select((c, i) => room.ConnectMediaAsync(c, Offer(i))).ToList();
        await allNegotiating.WaitAsync(TimeSpan.FromSeconds(30));
        host.Media.Release();
        await Task.WhenAll(offers);
        Assert.True(await VersionAsync(host, GrainKinds.Classroom, ClassScenario.ClassId) > wholeBefore);

        await host.DeactivateAsync(ClassScenario.Key);
        var after = await room.GetSnapshotAsync(ClassScenario.Lead);

        for (var i = 0; i < callers.Count; i++)
        {
            Assert.Equal(new PublishedTracks($"c{i}", $"m{i}"), after.Participants.Single(p => p.PrincipalId == callers[i].PrincipalId).Publishes);
        }
        var events = host.Events.EventsOf(ClassScenario.Key);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task MediaLog_WrittenBeforeAWholeWrite_IgnoredOnReload()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host, ruralCount: 2);
        await room.JoinAsync(ClassScenario.Device(1));
        await room.ConnectMediaAsync(ClassScenario.Device(1), Offer(1));
        Assert.Equal(1, await VersionAsync(host, MediaKind, ClassScenario.ClassId));
        // Leaving is written whole (its peer gone): the log, which still has the peer, is older than that write.
        await room.LeaveAsync(ClassScenario.Device(1));

        await host.DeactivateAsync(ClassScenario.Key);
        var after = await room.GetSnapshotAsync(ClassScenario.Lead);

        var device = after.Participants.Single(p => p.PrincipalId == "device-1");
        Assert.Equal(ConnectionState.Left, device.Connection);
        Assert.Null(device.PeerId);
        var events = host.Events.EventsOf(ClassScenario.Key);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
    }

    /// <summary>A live class of <paramref name="rural"/> rural classrooms activated on a secondary silo (one the test may kill).</summary>
    private static async Task<(IClassroomGrain Room, string ClassId, SiloAddress Silo)> LiveClassOnASecondarySiloAsync(
        TestGrainHost host, int rural)
    {
        var silo = host.Cluster.SecondarySilos[0];
        return (await host.LiveClassOnSiloAsync(silo, "class-media", rural), "class-media", silo.SiloAddress);
    }

    /// <summary>The stored row's version (+1 per write), 0 if there is none.</summary>
    private static async Task<long> VersionAsync(TestGrainHost host, string kind, string id)
    {
        await using var cmd = host.DataSource.CreateCommand("SELECT version FROM grain_state WHERE kind = @kind AND id = @id");
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync() is long version ? version : 0;
    }

    private static async Task<int> SizeAsync(TestGrainHost host, string kind, string id)
    {
        await using var cmd = host.DataSource.CreateCommand("SELECT octet_length(state::text) FROM grain_state WHERE kind = @kind AND id = @id");
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync() is int size ? size : 0;
    }
}
