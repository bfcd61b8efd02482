using System.Collections.Concurrent;
using LiveClassroom.Grains.Ports;
using Microsoft.Extensions.Logging;

namespace LiveClassroom.Grains.Hosting;

/// <summary>
/// This node's grain host: one activation per grain key, created on first call, each draining its own mailbox one
/// item at a time. Running → Stopped (after <see cref="DisposeAsync"/> or <see cref="Abandon"/> every call is refused).
/// Lease renewal is driven from outside (<see cref="RenewLeasesAsync"/>: the server's background service, or a test).
/// </summary>
public sealed class GrainHost : IGrainFactory, IAsyncDisposable
{
    /// <summary>Longest grain id (<c>grain_state.id</c> allows 200).</summary>
    public const int MaxIdLength = 200;

    private readonly ConcurrentDictionary<GrainKey, GrainActivation> _activations = new();
    private readonly object _idleLock = new();
    private long _pending;
    private TaskCompletionSource _idle = NewIdleSignal(completed: true);
    private volatile bool _stopped;

    public GrainHost(GrainHostOptions options, GrainServices services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        Options = options;
        Services = services;
        Logger = services.LoggerFactory.CreateLogger<GrainHost>();
    }

    public GrainHostOptions Options { get; }

    public GrainServices Services { get; }

    internal ILogger Logger { get; }

    /// <summary>Keys of the grains active on this node right now.</summary>
    public IReadOnlyCollection<GrainKey> ActiveGrains =>
        [.. _activations.Where(a => a.Value.Status != ActivationStatus.Deactivated).Select(a => a.Key)];

    public T GetGrain<T>(string id) where T : class, IGrain
    {
        ArgumentNullException.ThrowIfNull(id);
        return GrainCatalog.Reference<T>(this, id);
    }

    /// <summary>Runs <paramref name="body"/> as one message of the grain <paramref name="key"/> (activating it if needed).</summary>
    internal async Task<TResult> InvokeAsync<TGrain, TResult>(GrainKey key, Func<TGrain, Task<TResult>> body) where TGrain : Grain
    {
        TResult result = default!;
        await InvokeAsync<TGrain>(key, async g => result = await body(g));
        return result;
    }

    internal Task InvokeAsync<TGrain>(GrainKey key, Func<TGrain, Task> body) where TGrain : Grain
    {
        if (GrainActivation.Running is { } running && running.Host == this && running.Key == key)
        {
            // The caller's turn holds the mailbox: waiting on a second message of the same grain would never end.
            throw new InvalidOperationException($"{key} called itself through the grain factory; grains are not reentrant");
        }
        if (!IsValidId(key.Id))
        {
            // Ids come from URLs and hub arguments: junk is an unknown room, and never reaches the store or the lease table.
            return Task.FromException(new RoomRuleException(RoomErrorCode.NotFound, "No such room."));
        }
        var item = GrainWorkItem.Call(g => body((TGrain)g));
        Count(item);
        Dispatch(key, item);
        return item.Completion;
    }

    /// <summary>Deactivates a grain after the messages already queued for it (no-op when it is not active here).</summary>
    public Task DeactivateAsync(GrainKey key)
    {
        if (!_activations.TryGetValue(key, out var activation))
        {
            return Task.CompletedTask;
        }
        var item = GrainWorkItem.Deactivate(DeactivationReason.Requested);
        Count(item);
        if (!activation.TryPost(item))
        {
            Finish(item, null);
        }
        return item.Completion;
    }

    /// <summary>Renews the lease of every active grain; a grain whose lease is gone is deactivated (LeaseLost).</summary>
    public async Task RenewLeasesAsync(CancellationToken ct = default)
    {
        foreach (var activation in _activations.Values)
        {
            ct.ThrowIfCancellationRequested();
            await activation.RenewLeaseAsync();
        }
    }

    /// <summary>Completes when no message is queued or running in any grain of this host (deterministic tests).</summary>
    public async Task RunUntilIdleAsync()
    {
        while (true)
        {
            Task idle;
            lock (_idleLock)
            {
                if (_pending == 0)
                {
                    return;
                }
                idle = _idle.Task;
            }
            await idle;
        }
    }

    /// <summary>Stops gracefully: every grain deactivates (Shutdown), releasing its lease so another node can take over at once.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        var done = new List<Task>();
        foreach (var activation in _activations.Values)
        {
            var item = GrainWorkItem.Deactivate(DeactivationReason.Shutdown);
            Count(item);
            if (activation.TryPost(item))
            {
                done.Add(item.Completion);
            }
            else
            {
                Finish(item, null);
            }
        }
        await Task.WhenAll(done);
    }

    /// <summary>
    /// Stops at once without writing, releasing leases or telling anyone — what a crashed process leaves behind.
    /// For failover tests: the leases stay until they expire.
    /// </summary>
    public void Abandon()
    {
        _stopped = true;
        foreach (var activation in _activations.Values)
        {
            activation.Abandon();
        }
        _activations.Clear();
    }

    private static bool IsValidId(string id) =>
        id.Length is > 0 and <= MaxIdLength && !id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    internal void Dispatch(GrainKey key, GrainWorkItem item)
    {
        while (true)
        {
            if (_stopped)
            {
                Finish(item, new GrainUnavailableException($"the grain host of node {Options.NodeId} is stopping"));
                return;
            }
            var activation = _activations.GetOrAdd(key, k => new GrainActivation(this, k, GrainCatalog.Factory(k.Kind)));
            if (activation.TryPost(item))
            {
                activation.EnsureStarted();
                return;
            }
            _activations.TryRemove(new KeyValuePair<GrainKey, GrainActivation>(key, activation));
        }
    }

    internal void Redispatch(GrainKey key, GrainWorkItem item)
    {
        if (item.Kind is GrainWorkKind.Call)
        {
            Dispatch(key, item);
        }
        else
        {
            // Timer ticks, idle checks and deactivations belong to the activation that ended.
            Finish(item, null);
        }
    }

    internal void Forget(GrainActivation activation) =>
        _activations.TryRemove(new KeyValuePair<GrainKey, GrainActivation>(activation.Key, activation));

    internal void Count(GrainWorkItem item)
    {
        lock (_idleLock)
        {
            item.Counted = true;
            if (_pending++ == 0)
            {
                _idle = NewIdleSignal(completed: false);
            }
        }
    }

    internal void Finish(GrainWorkItem item, Exception? error)
    {
        var first = error is null ? item.Complete() : item.Fail(error);
        if (!first || !item.Counted)
        {
            return;
        }
        TaskCompletionSource? signal = null;
        lock (_idleLock)
        {
            if (--_pending == 0)
            {
                signal = _idle;
            }
        }
        signal?.TrySetResult();
    }

    private static TaskCompletionSource NewIdleSignal(bool completed)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            tcs.TrySetResult();
        }
        return tcs;
    }
}
