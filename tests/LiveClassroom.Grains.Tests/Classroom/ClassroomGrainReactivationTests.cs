using LiveClassroom.Grains.Classroom;

namespace LiveClassroom.Grains.Tests.Classroom;

/// <summary>
/// A live class activates again after the node hosting it was lost: its connections were lost when that node was last
/// known alive, so attendance does not count the time the cluster took to notice (issue #20, item 4).
/// </summary>
public sealed class ClassroomGrainReactivationTests
{
    private const string DeadNode = "10.0.0.99:11111@99";

    [Fact]
    public async Task Activation_PreviousNodeDied_ConnectionsLostWhenItWasLastAliveAndTheGapIsNotPresence()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host, ruralCount: 1);
        await room.JoinAsync(ClassScenario.Device(1));
        var joined = host.Time.GetUtcNow();
        await host.AdvanceAsync(TimeSpan.FromMinutes(10));
        var lastAlive = host.Time.GetUtcNow();
        host.Liveness.Died(DeadNode, lastAlive);
        await host.LoseNodeAsync(ClassScenario.Key, DeadNode);
        host.Time.Advance(TimeSpan.FromSeconds(10)); // the cluster notices the death

        var during = await room.GetSnapshotAsync(ClassScenario.Lead);
        await room.JoinAsync(ClassScenario.Lead);
        await room.JoinAsync(ClassScenario.Device(1));
        await host.AdvanceAsync(TimeSpan.FromMinutes(5));
        var after = await room.GetSnapshotAsync(ClassScenario.Lead);

        Assert.Contains(DeadNode, host.Liveness.Asked);
        Assert.All(during.Participants, p => Assert.Equal(ConnectionState.Reconnecting, p.Connection));
        var roomDuring = during.Classrooms.Single(c => c.ClassroomId == ClassScenario.Rural(1));
        Assert.False(roomDuring.Present);
        Assert.Equal(lastAlive, roomDuring.Attendance.LastLeftAt);
        Assert.Equal(10.0, roomDuring.Attendance.MinutesPresent);
        var roomAfter = after.Classrooms.Single(c => c.ClassroomId == ClassScenario.Rural(1));
        Assert.Equal(joined, roomAfter.Attendance.FirstJoinedAt);
        Assert.Equal(1, roomAfter.Attendance.ReconnectCount);
        // 10 minutes before the death, 5 after the return; not the 10 seconds between.
        Assert.Equal(15.0, roomAfter.Attendance.MinutesPresent);
        Assert.Equal(15.0, after.Classrooms.Single(c => c.ClassroomId == ClassScenario.LeadClassroomId).Attendance.MinutesPresent);
    }

    [Fact]
    public async Task Activation_PreviousNodeStillAlive_ConnectionsLostAtTheActivation()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host, ruralCount: 1);
        await room.JoinAsync(ClassScenario.Device(1));
        await host.AdvanceAsync(TimeSpan.FromMinutes(10));
        await host.LoseNodeAsync(ClassScenario.Key, DeadNode);
        host.Time.Advance(TimeSpan.FromSeconds(12));
        var activated = host.Time.GetUtcNow();

        var during = await room.GetSnapshotAsync(ClassScenario.Lead);
        await room.JoinAsync(ClassScenario.Device(1));
        await host.AdvanceAsync(TimeSpan.FromMinutes(5));
        var after = await room.GetSnapshotAsync(ClassScenario.Lead);

        var roomDuring = during.Classrooms.Single(c => c.ClassroomId == ClassScenario.Rural(1));
        Assert.Equal(activated, roomDuring.Attendance.LastLeftAt);
        Assert.Equal(15.2, after.Classrooms.Single(c => c.ClassroomId == ClassScenario.Rural(1)).Attendance.MinutesPresent);
    }

    [Fact]
    public async Task Activation_PreviousNodeDied_ReconnectGraceRunsFromTheLossAndTheDropIsLeft()
    {
        await using var host = await TestGrainHost.CreateAsync(o => o.ReconnectGrace = TimeSpan.FromSeconds(30));
        var room = await ClassScenario.LiveClassAsync(host, ruralCount: 1);
        await room.JoinAsync(ClassScenario.Device(1));
        await host.AdvanceAsync(TimeSpan.FromMinutes(3));
        var lastAlive = host.Time.GetUtcNow();
        host.Liveness.Died(DeadNode, lastAlive);
        await host.LoseNodeAsync(ClassScenario.Key, DeadNode);
        host.Time.Advance(TimeSpan.FromSeconds(10));

        await room.GetSnapshotAsync(ClassScenario.Lead);
        await room.JoinAsync(ClassScenario.Lead);
        await host.AdvanceAsync(TimeSpan.FromSeconds(20)); // 30 s after the loss, 20 s after the activation
        var after = await room.GetSnapshotAsync(ClassScenario.Lead);

        Assert.Equal(ConnectionState.Left, after.Participants.Single(p => p.PrincipalId == "device-1").Connection);
        var rural = after.Classrooms.Single(c => c.ClassroomId == ClassScenario.Rural(1));
        Assert.Equal(lastAlive, rural.Attendance.LastLeftAt);
        Assert.Equal(3.0, rural.Attendance.MinutesPresent);
    }
    [Fact]
    public async Task Activation_EveryPageRejoinsAtOnce_JoinsShareStateWritesAndEveryoneIsConnectedInOrder()
    {
        const int classrooms = 30;
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host, ruralCount: classrooms);
        for (var n = 1; n <= classrooms; n++)
        {
            await room.JoinAsync(ClassScenario.Device(n));
        }
        await host.DeactivateAsync(ClassScenario.Key);
        // The fresh activation marks everyone reconnecting (one write); then every page joins again at once.
        await room.GetSnapshotAsync(ClassScenario.Lead);
        var versionBefore = await StateVersionAsync(host);
        var callers = Enumerable.Range(1, classrooms).Select(ClassScenario.Device).Prepend(ClassScenario.Lead).ToList();

        var snapshots = await Task.WhenAll(callers.Select(c => room.JoinAsync(c)));
        var writes = await StateVersionAsync(host) - versionBefore;
        var after = await room.GetSnapshotAsync(ClassScenario.Lead);

        // One after the other they would write the class 31 times; interleaved, the joins that arrive during a write
        // share the next one.
        Assert.InRange(writes, 1, callers.Count / 2);
        Assert.All(after.Participants, p => Assert.Equal(ConnectionState.Connected, p.Connection));
        // Each join's answer already counts its caller connected, and its sequence covers the caller's own event.
        var events = host.Events.EventsOf(ClassScenario.Key);
        Assert.All(callers.Zip(snapshots), x =>
        {
            Assert.Equal(ConnectionState.Connected, x.Second.Participants.Single(p => p.PrincipalId == x.First.PrincipalId).Connection);
            var joined = events.Last(e => e.Type == ClassEventTypes.ParticipantJoined && ((ParticipantView)e.Payload).PrincipalId == x.First.PrincipalId);
            Assert.True(x.Second.Sequence >= joined.Sequence);
        });
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
    }

    private static async Task<long> StateVersionAsync(TestGrainHost host)
    {
        await using var cmd = host.DataSource.CreateCommand("SELECT version FROM grain_state WHERE kind = @kind AND id = @id");
        cmd.Parameters.AddWithValue("kind", ClassScenario.Key.Kind);
        cmd.Parameters.AddWithValue("id", ClassScenario.Key.Id);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
