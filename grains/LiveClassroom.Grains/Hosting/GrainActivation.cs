using System.Threading.Channels;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Hosting;

/// <summary>
/// One grain living on this node: Activating (lease, then state) → Active (one mailbox item at a time) → Deactivated
/// (mailbox closed; items still queued are handed back to the host, which activates afresh or redirects).
/// </summary>
internal sealed partial class GrainActivation
{
    private static readonly AsyncLocal<GrainActivation?> Current = new();

    private readonly Channel<GrainWorkItem> _mailbox =
        Channel.CreateUnbounded<GrainWorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<ITimer> _timers = [];
    private readonly Func<Grain> _create;
    private Grain? _grain;
    private ITimer? _idleTimer;
    private DateTimeOffset _lastCall;
    private long _version;
    private DeactivationReason? _deactivateAfterItem;
    private int _started;
    private volatile ActivationStatus _status = ActivationStatus.Activating;

    public GrainActivation(GrainHost host, GrainKey key, Func<Grain> create)
    {
        Host = host;
        Key = key;
        _create = create;
    }

    public GrainHost Host { get; }

    public GrainKey Key { get; }

    public ActivationStatus Status => _status;

    /// <summary>The activation whose turn is running on this async flow, if any (to refuse reentrant calls).</summary>
    public static GrainActivation? Running => Current.Value;

    public bool TryPost(GrainWorkItem item) => _mailbox.Writer.TryWrite(item);

    public void EnsureStarted()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }
        // The loop must not inherit the creator's async-local "current grain" (a grain calling another grain).
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        try
        {
            await ActivateAsync();
        }
        catch (Exception ex)
        {
            _status = ActivationStatus.Deactivated;
            _mailbox.Writer.TryComplete();
            Host.Forget(this);
            var error = ex is GrainOwnedElsewhereException or GrainUnavailableException
                ? ex
                : new GrainUnavailableException($"{Key} could not be activated: {ex.Message}", ex);
            while (_mailbox.Reader.TryRead(out var item))
            {
                Host.Finish(item, error);
            }
            return;
        }

        await foreach (var item in _mailbox.Reader.ReadAllAsync())
        {
            if (_status == ActivationStatus.Deactivated)
            {
                Host.Redispatch(Key, item);
                continue;
            }
            if (_leaseLost && item.Kind != GrainWorkKind.Deactivate)
            {
                await DeactivateCoreAsync(DeactivationReason.LeaseLost);
                Host.Redispatch(Key, item);
                continue;
            }
            await ProcessAsync(item);
        }
    }

    private async Task ActivateAsync()
    {
        await AcquireLeaseAsync();
        GrainStateRecord record;
        try
        {
            record = await Host.Services.StateStore.ReadAsync(Key, _epoch);
            if (record.Epoch > _epoch)
            {
                throw new GrainUnavailableException($"{Key} was fenced by a newer owner (epoch {record.Epoch} > {_epoch})");
            }
            _version = record.Version;
            var grain = _create();
            grain.Attach(this);
            Current.Value = this;
            await grain.ActivateAsync(record.StateJson);
            _grain = grain;
        }
        catch
        {
            await ReleaseLeaseAsync();
            throw;
        }
        finally
        {
            Current.Value = null;
        }
        _lastCall = Host.Services.Time.GetUtcNow();
        _idleTimer = Host.Services.Time.CreateTimer(_ => PostControl(GrainWorkItem.IdleCheck()), null, Host.Options.IdleTimeout, Timeout.InfiniteTimeSpan);
        _status = ActivationStatus.Active;
        GrainHostLog.Activated(Host.Logger, Key, _epoch, _version);
    }

    private async Task ProcessAsync(GrainWorkItem item)
    {
        switch (item.Kind)
        {
            case GrainWorkKind.Deactivate:
                await DeactivateCoreAsync(item.Reason);
                Host.Finish(item, null);
                return;
            case GrainWorkKind.IdleCheck:
                var idleFor = Host.Services.Time.GetUtcNow() - _lastCall;
                if (idleFor >= Host.Options.IdleTimeout && _grain?.KeepAlive != true)
                {
                    await DeactivateCoreAsync(DeactivationReason.Idle);
                }
                else
                {
                    var wait = idleFor >= Host.Options.IdleTimeout ? Host.Options.IdleTimeout : Host.Options.IdleTimeout - idleFor;
                    _idleTimer?.Change(wait, Timeout.InfiniteTimeSpan);
                }
                Host.Finish(item, null);
                return;
            case GrainWorkKind.Call:
                _lastCall = Host.Services.Time.GetUtcNow();
                break;
            case GrainWorkKind.Timer:
            default:
                break;
        }

        Exception? error = null;
        Current.Value = this;
        try
        {
            await item.Body!(_grain!);
        }
        catch (Exception ex)
        {
            error = ex;
            // Rule refusals (and the media plane refusing an offer, checked before anything changes) change nothing,
            // and a failure of another grain called from here is that grain's business. Anything else may have left
            // this grain's memory ahead of its store: drop it.
            if (ex is not (RoomRuleException or Research.ResearchRuleException or Ports.MediaRefusedException
                or GrainOwnedElsewhereException or GrainUnavailableException or OperationCanceledException))
            {
                GrainHostLog.Fault(Host.Logger, ex, Key);
                _deactivateAfterItem ??= DeactivationReason.Fault;
            }
        }
        finally
        {
            Current.Value = null;
        }
        if (_deactivateAfterItem is { } reason)
        {
            await DeactivateCoreAsync(reason);
        }
        Host.Finish(item, error);
    }

    /// <summary>Called by the grain inside its turn.</summary>
    public async Task WriteStateAsync(string json)
    {
        try
        {
            _version = await Host.Services.StateStore.WriteAsync(Key, json, _version, _epoch);
        }
        catch (GrainStateConflictException ex)
        {
            _deactivateAfterItem = ex.IsStaleEpoch ? DeactivationReason.LeaseLost : DeactivationReason.Fault;
            if (ex.IsStaleEpoch)
            {
                _leaseLost = true;
            }
            throw new GrainUnavailableException($"{Key} could not save its change: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not GrainUnavailableException)
        {
            // The store is unreachable: memory is now ahead of it, so reload on the next call.
            _deactivateAfterItem = DeactivationReason.Fault;
            throw new GrainUnavailableException($"{Key} could not save its change: {ex.Message}", ex);
        }
    }

    public IDisposable RegisterTimer(Func<Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ITimer? timer = null;
        timer = Host.Services.Time.CreateTimer(_ => PostControl(GrainWorkItem.Timer(_ => callback())), null, dueTime, period);
        _timers.Add(timer);
        return new TimerHandle(this, timer);
    }

    public void RequestDeactivation(DeactivationReason reason) => _deactivateAfterItem ??= reason;

    /// <summary>Posts a host-internal item (timer tick, idle check, deactivation); dropped if the mailbox is closed.</summary>
    public void PostControl(GrainWorkItem item)
    {
        Host.Count(item);
        if (!TryPost(item))
        {
            Host.Finish(item, null);
        }
    }

    private async Task DeactivateCoreAsync(DeactivationReason reason)
    {
        if (_status == ActivationStatus.Deactivated)
        {
            return;
        }
        _status = ActivationStatus.Deactivated;
        _deactivateAfterItem = null;
        _idleTimer?.Dispose();
        foreach (var t in _timers)
        {
            t.Dispose();
        }
        _timers.Clear();
        if (reason is not (DeactivationReason.Fault or DeactivationReason.LeaseLost) && _grain is not null)
        {
            Current.Value = this;
            try
            {
                await _grain.DeactivateAsync();
            }
            catch (Exception ex)
            {
                GrainHostLog.Fault(Host.Logger, ex, Key);
            }
            finally
            {
                Current.Value = null;
            }
        }
        if (reason == DeactivationReason.LeaseLost)
        {
            GrainHostLog.LeaseLost(Host.Logger, Key, _epoch);
        }
        else
        {
            await ReleaseLeaseAsync();
        }
        _mailbox.Writer.TryComplete();
        Host.Forget(this);
        GrainHostLog.Deactivated(Host.Logger, Key, reason);
        try
        {
            await Host.Services.Events.RoomDeactivatedAsync(Key, reason);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            GrainHostLog.PublishFailed(Host.Logger, ex, Key);
        }
    }

    /// <summary>Stops without writing, releasing or telling anyone: what a crashed process leaves behind.</summary>
    public void Abandon()
    {
        _status = ActivationStatus.Deactivated;
        _leaseLost = true;
        _idleTimer?.Dispose();
        _mailbox.Writer.TryComplete();
    }

    private void StopTimer(ITimer timer)
    {
        timer.Dispose();
        _timers.Remove(timer);
    }

    private sealed class TimerHandle(GrainActivation owner, ITimer timer) : IDisposable
    {
        public void Dispose() => owner.StopTimer(timer);
    }
}
