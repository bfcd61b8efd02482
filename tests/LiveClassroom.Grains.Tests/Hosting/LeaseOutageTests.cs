using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Hosting;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Testing;

namespace LiveClassroom.Grains.Tests.Hosting;

public sealed class LeaseOutageTests
{
    [Fact]
    public async Task RenewLeases_StoreUnreachable_KeepsRoomUntilLeaseMayHaveExpiredThenLetsGo()
    {
        var time = new ManualTimeProvider();
        var leases = new UnreachableLeaseStore(new InMemoryGrainLeaseStore(time));
        var events = new RecordingRoomEventPublisher();
        var options = new GrainHostOptions { NodeId = "node-a", NodeUrl = "http://node-a", LeaseDuration = TimeSpan.FromSeconds(15) };
        await using var host = new GrainHost(options, new GrainServices(
            new InMemoryGrainStateStore(), leases, events, new RecordingMediaControl(), new InMemoryPairingDirectory(), time));
        var room = host.GetGrain<IClassroomGrain>(ClassScenario.ClassId);
        await room.SetupAsync(RoomCaller.System, ClassScenario.Setup());
        leases.Down = true;

        time.Advance(TimeSpan.FromSeconds(10));
        await host.RenewLeasesAsync();
        await host.RunUntilIdleAsync();
        Assert.Contains(ClassScenario.Key, host.ActiveGrains);

        time.Advance(TimeSpan.FromSeconds(6));
        await host.RenewLeasesAsync();
        await host.RunUntilIdleAsync();

        Assert.DoesNotContain(ClassScenario.Key, host.ActiveGrains);
        Assert.Contains((ClassScenario.Key, DeactivationReason.LeaseLost), events.Deactivations);
        var unavailable = await Assert.ThrowsAsync<GrainUnavailableException>(() => room.GetSnapshotAsync(RoomCaller.System));
        Assert.Contains("lease", unavailable.Message, StringComparison.Ordinal);

        leases.Down = false;
        Assert.Equal(ClassState.Scheduled, (await room.GetSnapshotAsync(RoomCaller.System)).State);
    }
}
