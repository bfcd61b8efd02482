using System.Diagnostics;
using LiveClassroom.Grains.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace LiveClassroom.Grains.Rooms;

/// <summary>
/// Base of the room grains (Orleans activations, one message at a time, no reentrancy). A change is a set of events:
/// <see cref="Emit"/> numbers an event in the state (so numbering survives moves), <see cref="CommitAsync"/> writes the
/// state and only then hands the events, in order, to this node's publisher and to every subscribed node's observer.
/// Deadlines (reconnect grace, speaking turns) are kept in the state and checked by <see cref="OnTickAsync"/>, which
/// a grain timer drives while the grain is active and a reminder drives after a move, when nothing else would wake it.
/// </summary>
public abstract class RoomGrain<TState> : Grain<TState>, IRoomGrain, IRemindable where TState : RoomState, new()
{
    /// <summary>Reminders cannot tick faster than Orleans' minimum reminder period; the timer gives the precision.</summary>
    internal const string TickReminder = "tick";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>A node renews every few seconds; one not heard from for this long is gone (its events are dropped).</summary>
    private static readonly TimeSpan ObserverExpiry = TimeSpan.FromSeconds(15);

    /// <summary>A node that does not take an event within this time misses it and resyncs (it sees the gap).</summary>
    private static readonly TimeSpan ObserverCallLimit = TimeSpan.FromSeconds(2);

    private readonly List<RoomEvent> _pending = [];
    private readonly Dictionary<IRoomObserver, long> _observers = [];
    private readonly List<RoomEvent> _activationEvents = [];
    private Task? _writer;
    private TaskCompletionSource? _nextWrite;
    private bool _wholePending;
    private long _activatedAt;
    private bool _activating;
    private IGrainTimer? _ticker;
    private TimeSpan _tickPeriod;
    private ILogger? _logger;

    protected RoomGrain(GrainServices services)
    {
        Services = services;
    }

    protected GrainServices Services { get; }

    protected RoomOptions Options => Services.Options;

    /// <summary>The clock the rules read (see <see cref="GrainServices.Time"/>).</summary>
    protected TimeProvider Time => Services.Time;

    protected abstract string Kind { get; }

    protected GrainKey Key => new(Kind, this.GetPrimaryKeyString());

    protected ILogger Logger => _logger ??= ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(GetType());

    /// <summary>True while the grain must stay active however quiet it is (a live room with people in it).</summary>
    internal virtual bool KeepAlive => false;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activatedAt = Stopwatch.GetTimestamp();
        _activating = true;
        try
        {
            await OnActivateAsync();
        }
        finally
        {
            _activating = false;
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => OnDeactivateAsync();

    protected virtual Task OnActivateAsync() => Task.CompletedTask;

    protected virtual Task OnDeactivateAsync() => Task.CompletedTask;

    public async Task SubscribeAsync(IRoomObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (!_observers.ContainsKey(observer) && _activationEvents.Count > 0 && Stopwatch.GetElapsedTime(_activatedAt) < ObserverExpiry)
        {
            // What this activation changed as it started (connections its node's death cost) was published before any
            // node could subscribe: a node that does so soon after gets it, so its pages rejoin now rather than at the
            // next event of the room. Events a node already has are ignored by their sequence numbers. One call, as a
            // write's events go (they are consecutive: nothing else runs while the grain activates): one event per call
            // held the grain for a call per participant — 600 in a large class, each one message to every page.
            try
            {
                await (_activationEvents.Count == 1
                    ? observer.OnRoomEventAsync(_activationEvents[0])
                    : observer.OnRoomEventsAsync([.. _activationEvents])).WaitAsync(ObserverCallLimit);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || ex is TaskCanceledException)
            {
                RoomGrainLog.ObserverDropped(Logger, Key, "activation events not taken");
            }
        }
        _observers[observer] = Stopwatch.GetTimestamp();
    }

    public Task UnsubscribeAsync(IRoomObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers.Remove(observer);
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == TickReminder)
        {
            await TickAsync();
        }
    }

    protected void Emit(string type, object payload)
    {
        State.Sequence++;
        _pending.Add(new RoomEvent(Key, State.Sequence, Time.GetUtcNow(), type, payload));
    }

    /// <summary>
    /// Writes the state and then publishes the events emitted before the write began, in order. Writes never overlap:
    /// a commit asked for while one is being written is carried by the next write, which starts when that one ends and
    /// covers every change made meanwhile, so changes that arrive together (interleaved media negotiations) share one
    /// write. The returned task completes when a write that began after this call has stored the change and its events
    /// are published; it fails as the write did.
    /// </summary>
    protected Task CommitAsync() => CommitAsync(whole: true);

    /// <summary>
    /// <see cref="CommitAsync()"/> for a change the grain can store as a part of its state (<see cref="TryWritePartAsync"/>,
    /// a class's media negotiations): the write that carries it is a part write unless a change it also carries needs the
    /// whole state written, or the grain says the part has grown too large.
    /// </summary>
    protected Task CommitPartAsync() => CommitAsync(whole: false);

    private Task CommitAsync(bool whole)
    {
        _wholePending |= whole;
        var done = _nextWrite ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_writer is null || _writer.IsCompleted)
        {
            _writer = WriteLoopAsync();
        }
        return done.Task;
    }

    /// <summary>
    /// Stores the changes made since the last write without writing the whole state, if the grain can: only changes
    /// committed with <see cref="CommitPartAsync"/> have been made since (the base's whole writes cover all others). Must
    /// take what it writes before its first await (changes made during the write belong to the next one). False: nothing
    /// written, the whole state is written instead.
    /// </summary>
    protected virtual Task<bool> TryWritePartAsync() => Task.FromResult(false);

    /// <summary>Called just before the whole state is written (what a part write logged is now in it).</summary>
    protected virtual void OnWholeWrite()
    {
    }

    /// <summary>State writes this activation made (tests count them to check that changes share writes).</summary>
    internal int WritesMade { get; private set; }

    /// <summary>When the last write's events had been handed on (Stopwatch ticks; 0: none yet): its commits resume after.</summary>
    protected long LastWriteEndedAt { get; private set; }

    /// <summary>Each write's parts as they end: <c>write.store</c> (the state or part stored), <c>write.publish</c> (its events handed on).</summary>
    protected virtual void WriteMeasured(string part, long since)
    {
    }

    private async Task WriteLoopAsync()
    {
        while (_nextWrite is { } done)
        {
            _nextWrite = null;
            RoomEvent[] events = [.. _pending];
            _pending.Clear();
            var whole = _wholePending;
            _wholePending = false;
            State.WrittenAt = Time.GetUtcNow();
            State.WrittenBy = ThisNode;
            var storing = Stopwatch.GetTimestamp();
            try
            {
                if (whole || !await TryWritePartAsync())
                {
                    OnWholeWrite();
                    await WriteStateAsync();
                }
                WritesMade++;
            }
            catch (Exception ex)
            {
                // Memory is now ahead of the store: drop this activation, the next call reloads the stored state. The
                // changes made meanwhile are in memory only as well: their commits fail with this one. Until it is gone,
                // a write is of the whole state (a part would claim a stored base this memory is no longer on).
                _pending.Clear();
                _wholePending = true;
                DeactivateOnIdle();
                done.TrySetException(ex);
                if (_nextWrite is { } next)
                {
                    _nextWrite = null;
                    next.TrySetException(ex);
                }
                return;
            }
            if (_activating)
            {
                _activationEvents.AddRange(events);
            }
            var publishing = Stopwatch.GetTimestamp();
            WriteMeasured("write.store", storing);
            try
            {
                foreach (var e in events)
                {
                    try
                    {
                        await Services.Events.PublishAsync(e);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        RoomGrainLog.PublishFailed(Logger, ex, Key);
                    }
                }
                if (events.Length > 0)
                {
                    await NotifyObserversAsync(events);
                }
            }
            catch (OperationCanceledException ex)
            {
                // Stored, but its callers learn that publishing was cut short (as when they published themselves).
                done.TrySetException(ex);
                continue;
            }
            WriteMeasured("write.publish", publishing);
            LastWriteEndedAt = Stopwatch.GetTimestamp();
            done.TrySetResult();
        }
    }

    /// <summary>Tells this node's publisher that a live room became active here (see <see cref="IRoomEventPublisher.LiveRoomActivatedAsync"/>).</summary>
    protected async Task ReportLiveActivationAsync()
    {
        try
        {
            await Services.Events.LiveRoomActivatedAsync(Key);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RoomGrainLog.PublishFailed(Logger, ex, Key);
        }
    }

    /// <summary>This activation's silo, as <see cref="RoomState.WrittenBy"/> records it.</summary>
    protected string? ThisNode => GrainContext.Address.SiloAddress?.ToParsableString();

    /// <summary>
    /// When the connections the stored state still counts were lost (<see cref="ReactivationRules"/>); call it from
    /// <see cref="OnActivateAsync()"/>. Asks the cluster about the node that last wrote the state only if that was
    /// another node; if the cluster cannot say, the loss is dated by this activation.
    /// </summary>
    protected async Task<DateTimeOffset> ConnectionsLostAtAsync()
    {
        var now = Time.GetUtcNow();
        DateTimeOffset? lastAlive = null;
        if (State.WrittenBy is { } node && node != ThisNode)
        {
            try
            {
                lastAlive = await Services.Liveness.LastAliveIfDeadAsync(node);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                RoomGrainLog.LivenessFailed(Logger, ex, Key, node);
            }
        }
        return ReactivationRules.ConnectionsLostAt(now, State.WrittenAt, lastAlive);
    }

    /// <summary>Runs the deadlines now due; called by the timer and the reminder.</summary>
    protected virtual Task OnTickAsync() => Task.CompletedTask;

    /// <summary>Keeps a grain timer running <see cref="OnTickAsync"/> every <paramref name="period"/> while active.</summary>
    protected void EnsureTicking(TimeSpan period)
    {
        if (_ticker is not null && _tickPeriod <= period)
        {
            return;
        }
        _ticker?.Dispose();
        _tickPeriod = period;
        _ticker = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(period, period) { Interleave = false, KeepAlive = false });
    }

    protected void StopTicking()
    {
        _ticker?.Dispose();
        _ticker = null;
    }

    /// <summary>
    /// Keeps (or drops) the reminder that wakes this room wherever it is, once a minute, while it has something that
    /// must happen with nobody calling (a live class after its node died: its connections run out their grace).
    /// </summary>
    protected async Task SetReminderAsync(bool on)
    {
        try
        {
            if (on)
            {
                await this.RegisterOrUpdateReminder(TickReminder, ReminderPeriod, ReminderPeriod);
            }
            else if (await this.GetReminder(TickReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RoomGrainLog.MediaFailed(Logger, ex, Key, on ? "register reminder" : "unregister reminder");
        }
    }

    /// <summary>Runs a media-plane call; its failure is logged and swallowed so the room keeps running.</summary>
    protected async Task<bool> TryMediaAsync(string operation, Func<IMediaControl, Task> call)
    {
        try
        {
            await call(Services.Media);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RoomGrainLog.MediaFailed(Logger, ex, Key, operation);
            return false;
        }
    }

    private async Task TickAsync()
    {
        await OnTickAsync();
        if (KeepAlive)
        {
            DelayDeactivation(TimeSpan.FromMinutes(5));
        }
    }

    /// <summary>Hands the events (one write's, in order) to every subscribed node: one call per node, each node in parallel.</summary>
    private async Task NotifyObserversAsync(RoomEvent[] events)
    {
        if (_observers.Count == 0)
        {
            return;
        }
        var now = Stopwatch.GetTimestamp();
        var targets = new List<IRoomObserver>(_observers.Count);
        foreach (var (observer, renewed) in _observers)
        {
            if (Stopwatch.GetElapsedTime(renewed, now) > ObserverExpiry)
            {
                _observers.Remove(observer);
                RoomGrainLog.ObserverDropped(Logger, Key, "not renewed");
            }
            else
            {
                targets.Add(observer);
            }
        }
        var calls = targets.Select(async o =>
        {
            try
            {
                await (events.Length == 1 ? o.OnRoomEventAsync(events[0]) : o.OnRoomEventsAsync(events)).WaitAsync(ObserverCallLimit);
                return null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || ex is TaskCanceledException)
            {
                return o;
            }
        });
        foreach (var failed in await Task.WhenAll(calls))
        {
            if (failed is not null)
            {
                // Its node is gone or stuck: it resubscribes when it can and resyncs from the gap it sees.
                _observers.Remove(failed);
                RoomGrainLog.ObserverDropped(Logger, Key, "call failed");
            }
        }
    }
}
