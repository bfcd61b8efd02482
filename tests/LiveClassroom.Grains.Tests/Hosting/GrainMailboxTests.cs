using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Testing;

namespace LiveClassroom.Grains.Tests.Hosting;

/// <summary>The mailbox itself, driven through the host's internal invoke (what every grain reference uses).</summary>
public sealed class GrainMailboxTests
{
    [Fact]
    public async Task Invoke_ManyConcurrentMessages_RunOneAtATime()
    {
        await using var host = TestGrainHost.Create();
        await ClassScenario.LiveClassAsync(host);
        var inside = 0;
        var maxInside = 0;
        var ran = 0;

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => host.Host.InvokeAsync<ClassroomGrain>(ClassScenario.Key, async _ =>
        {
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref maxInside, now);
            for (var i = 0; i < 3; i++)
            {
                await Task.Yield(); // give another message every chance to overlap, were the mailbox not serial
            }
            Interlocked.Increment(ref ran);
            Interlocked.Decrement(ref inside);
        }))));

        Assert.Equal(100, ran);
        Assert.Equal(1, maxInside);
    }

    [Fact]
    public async Task Invoke_GrainCallsItselfThroughTheFactory_RefusedInsteadOfDeadlocking()
    {
        await using var host = TestGrainHost.Create();
        var room = await ClassScenario.LiveClassAsync(host);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Host.InvokeAsync<ClassroomGrain>(ClassScenario.Key,
            _ => room.GetSnapshotAsync(ClassScenario.Lead)));

        Assert.Contains("not reentrant", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_UnexpectedError_DropsActivationAndNextCallReloadsSavedState()
    {
        await using var host = TestGrainHost.Create();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        await room.RaiseHandAsync(ClassScenario.Device(1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Host.InvokeAsync<ClassroomGrain>(ClassScenario.Key,
            _ => throw new InvalidOperationException("bug")));
        await host.RunUntilIdleAsync();

        Assert.Contains((ClassScenario.Key, DeactivationReason.Fault), host.Events.Deactivations);
        Assert.Equal(["rural-1"], (await room.GetSnapshotAsync(ClassScenario.Lead)).HandQueue);
    }

    [Fact]
    public async Task RunUntilIdle_AfterTimersFire_WaitsForTheirMessages()
    {
        await using var host = TestGrainHost.Create(o => o.ReconnectGrace = TimeSpan.FromSeconds(30));
        var room = await ClassScenario.LiveClassAsync(host);
        for (var n = 1; n <= 3; n++)
        {
            await room.JoinAsync(ClassScenario.Device(n));
            await room.ConnectionLostAsync($"device-{n}");
        }

        host.Time.Advance(TimeSpan.FromSeconds(31));
        await host.RunUntilIdleAsync();

        var left = host.Events.EventsOf(ClassScenario.Key)
            .Where(e => e.Type == ClassEventTypes.ConnectionChanged && ((ParticipantView)e.Payload).Connection == ConnectionState.Left);
        Assert.Equal(3, left.Count());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
