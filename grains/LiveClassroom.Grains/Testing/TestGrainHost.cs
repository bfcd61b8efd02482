using LiveClassroom.Grains.Hosting;

namespace LiveClassroom.Grains.Testing;

/// <summary>
/// A grain host with no network: manual clock, in-memory store and leases, recording event publisher and media
/// control. <see cref="RestartAsync"/> simulates a process restart (a new host over the same store).
/// </summary>
public sealed class TestGrainHost : IAsyncDisposable
{
    private TestGrainHost(GrainHostOptions options, ManualTimeProvider time, InMemoryGrainStateStore store, InMemoryGrainLeaseStore leases)
    {
        Options = options;
        Time = time;
        Store = store;
        Leases = leases;
        Host = new GrainHost(options, new GrainServices(store, leases, Events, Media, Pairings, time));
    }

    public GrainHostOptions Options { get; }

    public ManualTimeProvider Time { get; }

    public InMemoryGrainStateStore Store { get; }

    public InMemoryGrainLeaseStore Leases { get; }

    public RecordingRoomEventPublisher Events { get; } = new();

    public RecordingMediaControl Media { get; } = new();

    public InMemoryPairingDirectory Pairings { get; } = new();

    public GrainHost Host { get; }

    public static TestGrainHost Create(Action<GrainHostOptions>? configure = null)
    {
        var options = new GrainHostOptions { NodeId = "test-node", NodeUrl = "http://test-node" };
        configure?.Invoke(options);
        var time = new ManualTimeProvider();
        return new TestGrainHost(options, time, new InMemoryGrainStateStore(), new InMemoryGrainLeaseStore(time));
    }

    /// <summary>Another node (its own id and URL) sharing this one's clock, store and leases.</summary>
    public TestGrainHost CreatePeer(string nodeId)
    {
        var options = new GrainHostOptions
        {
            NodeId = nodeId,
            NodeUrl = $"http://{nodeId}",
            IdleTimeout = Options.IdleTimeout,
            LeaseDuration = Options.LeaseDuration,
            LeaseRenewInterval = Options.LeaseRenewInterval,
            ReconnectGrace = Options.ReconnectGrace,
        };
        return new TestGrainHost(options, Time, Store, Leases);
    }

    /// <summary>Crashes this host (nothing written or released) and starts a new one with the same node id over the same store.</summary>
    public TestGrainHost Restart()
    {
        Host.Abandon();
        return new TestGrainHost(Options, Time, Store, Leases);
    }

    public T GetGrain<T>(string id) where T : class, IGrain => Host.GetGrain<T>(id);

    public Task RunUntilIdleAsync() => Host.RunUntilIdleAsync();

    /// <summary>Moves the clock (firing due timers) and waits until every grain has handled what that queued.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await Host.RunUntilIdleAsync();
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
