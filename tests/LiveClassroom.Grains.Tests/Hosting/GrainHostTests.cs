using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Testing;

namespace LiveClassroom.Grains.Tests.Hosting;

public sealed class GrainHostTests
{
    private static async Task<IClassroomGrain> ClassWithHandsAsync(TestGrainHost host)
    {
        var room = await ClassScenario.LiveClassAsync(host);
        foreach (var n in new[] { 2, 1 })
        {
            await room.JoinAsync(ClassScenario.Device(n));
            await room.RaiseHandAsync(ClassScenario.Device(n));
        }
        await room.JoinAsync(ClassScenario.Device(3));
        await room.BringOnStageAsync(ClassScenario.Lead, ClassScenario.Rural(3));
        return room;
    }

    [Fact]
    public async Task Deactivate_ThenCallAgain_ReloadsPersistedState()
    {
        await using var host = TestGrainHost.Create();
        var room = await ClassWithHandsAsync(host);
        var before = await room.GetSnapshotAsync(ClassScenario.Lead);

        await host.Host.DeactivateAsync(ClassScenario.Key);
        Assert.Empty(host.Host.ActiveGrains);
        var after = await room.GetSnapshotAsync(ClassScenario.Lead);

        Assert.Equal(["rural-2", "rural-1"], after.HandQueue);
        Assert.Equal([new StageSeat(1, "rural-3")], after.Stage);
        Assert.Equal(ClassState.Live, after.State);
        Assert.Equal(before.Classrooms.Select(c => c.Attendance.FirstJoinedAt), after.Classrooms.Select(c => c.Attendance.FirstJoinedAt));
        Assert.Contains((ClassScenario.Key, DeactivationReason.Requested), host.Events.Deactivations);
    }

    [Fact]
    public async Task Restart_NewHostOverSameStore_ResumesStateAndSequence()
    {
        var first = TestGrainHost.Create();
        var room = await ClassWithHandsAsync(first);
        var before = await room.GetSnapshotAsync(ClassScenario.Lead);

        await using var second = first.Restart();
        var again = second.GetGrain<IClassroomGrain>(ClassScenario.ClassId);
        var after = await again.GetSnapshotAsync(ClassScenario.Lead);
        await again.RaiseHandAsync(ClassScenario.Device(3)); // on stage: no-op, no event
        await again.JoinAsync(ClassScenario.Device(1));

        Assert.Equal(before.HandQueue, after.HandQueue);
        Assert.Equal(before.Stage, after.Stage);
        // The restart marks the connected participants as reconnecting (events), numbering on from the old sequence.
        Assert.True(after.Sequence > before.Sequence);
        var sequences = second.Events.EventsOf(ClassScenario.Key).Select(e => e.Sequence).ToList();
        Assert.Equal(Enumerable.Range((int)before.Sequence + 1, sequences.Count).Select(i => (long)i), sequences);
        Assert.All(after.Participants, p => Assert.Equal(ConnectionState.Reconnecting, p.Connection));
    }

    [Fact]
    public async Task IdleTimeout_NoCallsForThatLong_DeactivatesAndReleasesLease()
    {
        await using var host = TestGrainHost.Create(o => o.IdleTimeout = TimeSpan.FromMinutes(10));
        var room = await ClassScenario.LiveClassAsync(host);
        await room.LeaveAsync(ClassScenario.Lead);

        await host.AdvanceAsync(TimeSpan.FromMinutes(9));
        await room.GetSnapshotAsync(ClassScenario.Lead);
        await host.AdvanceAsync(TimeSpan.FromMinutes(9));
        Assert.Contains(ClassScenario.Key, host.Host.ActiveGrains);

        await host.AdvanceAsync(TimeSpan.FromMinutes(2));

        Assert.DoesNotContain(ClassScenario.Key, host.Host.ActiveGrains);
        Assert.Contains((ClassScenario.Key, DeactivationReason.Idle), host.Events.Deactivations);
        Assert.True(host.Leases.Peek(ClassScenario.Key)!.Value.ExpiresAt <= host.Time.GetUtcNow());
    }

    [Fact]
    public async Task IdleTimeout_LiveClassWithPeopleConnected_StaysUntilTheyLeave()
    {
        await using var host = TestGrainHost.Create(o => o.IdleTimeout = TimeSpan.FromMinutes(10));
        var room = await ClassScenario.LiveClassAsync(host);

        await host.AdvanceAsync(TimeSpan.FromMinutes(25));
        Assert.Contains(ClassScenario.Key, host.Host.ActiveGrains);

        await room.LeaveAsync(ClassScenario.Lead);
        await host.AdvanceAsync(TimeSpan.FromMinutes(11));
        Assert.DoesNotContain(ClassScenario.Key, host.Host.ActiveGrains);
    }

    [Fact]
    public async Task Call_WhileAnotherLiveNodeHoldsTheLease_ThrowsOwnedElsewhereWithOwnerUrl()
    {
        await using var a = TestGrainHost.Create();
        await ClassScenario.LiveClassAsync(a);
        await using var b = a.CreatePeer("node-b");

        var ex = await Assert.ThrowsAsync<GrainOwnedElsewhereException>(
            () => b.GetGrain<IClassroomGrain>(ClassScenario.ClassId).GetSnapshotAsync(ClassScenario.Lead));

        Assert.Equal("test-node", ex.OwnerNodeId);
        Assert.Equal("http://test-node", ex.OwnerUrl);
        Assert.Empty(b.Host.ActiveGrains);
    }

    [Fact]
    public async Task LeaseExpired_PeerTakesOver_StaleOwnerCannotWriteAndRedirects()
    {
        await using var a = TestGrainHost.Create();
        var roomOnA = await ClassWithHandsAsync(a);
        await using var b = a.CreatePeer("node-b");

        // a stops renewing: after the lease duration b may take the room, with a higher epoch and the saved state.
        a.Time.Advance(a.Options.LeaseDuration + TimeSpan.FromSeconds(1));
        var onB = await b.GetGrain<IClassroomGrain>(ClassScenario.ClassId).GetSnapshotAsync(ClassScenario.Lead);
        Assert.Equal(["rural-2", "rural-1"], onB.HandQueue);
        Assert.Equal(2, b.Leases.Peek(ClassScenario.Key)!.Value.Epoch);

        // a still thinks it owns the room: its next change is fenced off, and it lets the room go.
        await Assert.ThrowsAsync<GrainUnavailableException>(() => roomOnA.LowerHandAsync(ClassScenario.Device(1)));
        await a.RunUntilIdleAsync();
        Assert.Contains((ClassScenario.Key, DeactivationReason.LeaseLost), a.Events.Deactivations);
        var redirect = await Assert.ThrowsAsync<GrainOwnedElsewhereException>(() => roomOnA.GetSnapshotAsync(ClassScenario.Lead));
        Assert.Equal("http://node-b", redirect.OwnerUrl);
        var stored = await b.GetGrain<IClassroomGrain>(ClassScenario.ClassId).GetSnapshotAsync(ClassScenario.Lead);
        Assert.Equal(["rural-2", "rural-1"], stored.HandQueue);
    }

    [Fact]
    public async Task RenewLeases_AfterTakeover_DeactivatesWithLeaseLost()
    {
        await using var a = TestGrainHost.Create();
        await ClassScenario.LiveClassAsync(a);
        await using var b = a.CreatePeer("node-b");
        a.Time.Advance(a.Options.LeaseDuration + TimeSpan.FromSeconds(1));
        await b.GetGrain<IClassroomGrain>(ClassScenario.ClassId).GetSnapshotAsync(ClassScenario.Lead);

        await a.Host.RenewLeasesAsync();
        await a.RunUntilIdleAsync();

        Assert.Empty(a.Host.ActiveGrains);
        Assert.Contains((ClassScenario.Key, DeactivationReason.LeaseLost), a.Events.Deactivations);
        Assert.Equal("node-b", a.Leases.Peek(ClassScenario.Key)!.Value.Owner);
    }

    [Fact]
    public async Task RenewLeases_WhileOwner_KeepsRoomPastLeaseDuration()
    {
        await using var a = TestGrainHost.Create();
        await ClassScenario.LiveClassAsync(a);
        await using var b = a.CreatePeer("node-b");
        var start = a.Time.GetUtcNow();

        for (var i = 0; i < 6; i++)
        {
            await a.AdvanceAsync(a.Options.LeaseRenewInterval);
            await a.Host.RenewLeasesAsync();
        }

        Assert.True(a.Time.GetUtcNow() - start > a.Options.LeaseDuration);
        await Assert.ThrowsAsync<GrainOwnedElsewhereException>(
            () => b.GetGrain<IClassroomGrain>(ClassScenario.ClassId).GetSnapshotAsync(ClassScenario.Lead));
        Assert.Contains(ClassScenario.Key, a.Host.ActiveGrains);
    }

    [Fact]
    public async Task RefusedCall_ByRule_KeepsActivationAndChangesNothing()
    {
        await using var host = TestGrainHost.Create();
        var room = await ClassScenario.LiveClassAsync(host);
        var before = await room.GetSnapshotAsync(ClassScenario.Lead);
        var writes = host.Store.WriteCount;

        var ex = await ClassScenario.RefusedAsync(() => room.RaiseHandAsync(ClassScenario.Lead));

        Assert.Equal(RoomErrorCode.Forbidden, ex.Code);
        Assert.Contains(ClassScenario.Key, host.Host.ActiveGrains);
        Assert.Equal(writes, host.Store.WriteCount);
        Assert.Equal(before.Sequence, (await room.GetSnapshotAsync(ClassScenario.Lead)).Sequence);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("line\nbreak")]
    public async Task Call_MalformedId_NotFoundWithoutTouchingStoreOrLeases(string id)
    {
        await using var host = TestGrainHost.Create();

        var ex = await ClassScenario.RefusedAsync(() => host.GetGrain<IClassroomGrain>(id).GetSnapshotAsync(ClassScenario.Lead));
        var tooLong = await ClassScenario.RefusedAsync(() => host.GetGrain<IClassroomGrain>(new string('x', 201)).GetSnapshotAsync(ClassScenario.Lead));

        Assert.Equal(RoomErrorCode.NotFound, ex.Code);
        Assert.Equal(RoomErrorCode.NotFound, tooLong.Code);
        Assert.Null(host.Leases.Peek(new GrainKey(GrainKinds.Classroom, id)));
        Assert.Empty(host.Host.ActiveGrains);
    }

    [Fact]
    public async Task Dispose_Gracefully_ReleasesLeasesSoPeerTakesOverAtOnce()
    {
        var a = TestGrainHost.Create();
        await ClassWithHandsAsync(a);
        await using var b = a.CreatePeer("node-b");

        await a.DisposeAsync();
        var onB = await b.GetGrain<IClassroomGrain>(ClassScenario.ClassId).GetSnapshotAsync(ClassScenario.Lead);

        Assert.Equal(["rural-2", "rural-1"], onB.HandQueue);
        Assert.Contains((ClassScenario.Key, DeactivationReason.Shutdown), a.Events.Deactivations);
        await Assert.ThrowsAsync<GrainUnavailableException>(() => a.GetGrain<IClassroomGrain>(ClassScenario.ClassId).GetSnapshotAsync(ClassScenario.Lead));
    }
}
