using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Hosting;

/// <summary>The activation's lease: acquired before the state is read, renewed by the host, released on deactivation.</summary>
internal sealed partial class GrainActivation
{
    private long _epoch;
    private bool _leaseHeld;
    private volatile bool _leaseLost;
    private DateTimeOffset _leaseDeadline;

    public long Epoch => _epoch;

    private async Task AcquireLeaseAsync()
    {
        // Measured from before the request: the store's expiry can only be later than this deadline, never earlier.
        var requested = Host.Services.Time.GetUtcNow();
        LeaseAcquisition lease;
        try
        {
            lease = await Host.Services.Leases.TryAcquireAsync(Key, Host.Options.NodeId, Host.Options.NodeUrl, Host.Options.LeaseDuration);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new GrainUnavailableException($"the lease of {Key} could not be taken: {ex.Message}", ex);
        }
        if (!lease.Acquired)
        {
            throw new GrainOwnedElsewhereException(Key, lease.OwnerNodeId, lease.OwnerUrl);
        }
        _epoch = lease.Epoch;
        _leaseHeld = true;
        _leaseDeadline = requested + Host.Options.LeaseDuration;
    }

    /// <summary>Called by the host's renewal pass, outside the grain's turn.</summary>
    public async Task RenewLeaseAsync()
    {
        if (_status != ActivationStatus.Active || !_leaseHeld || _leaseLost)
        {
            return;
        }
        var started = Host.Services.Time.GetUtcNow();
        bool renewed;
        try
        {
            renewed = await Host.Services.Leases.RenewAsync(Key, Host.Options.NodeId, _epoch, Host.Options.LeaseDuration);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            GrainHostLog.RenewFailed(Host.Logger, ex, Key);
            // Unreachable store: keep the room while the lease is surely ours, give it up once it may have expired.
            renewed = Host.Services.Time.GetUtcNow() < _leaseDeadline;
            if (renewed)
            {
                return;
            }
        }
        if (renewed)
        {
            _leaseDeadline = started + Host.Options.LeaseDuration;
            return;
        }
        _leaseLost = true;
        PostControl(GrainWorkItem.Deactivate(DeactivationReason.LeaseLost));
    }

    private async Task ReleaseLeaseAsync()
    {
        if (!_leaseHeld)
        {
            return;
        }
        _leaseHeld = false;
        try
        {
            await Host.Services.Leases.ReleaseAsync(Key, Host.Options.NodeId, _epoch);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            GrainHostLog.ReleaseFailed(Host.Logger, ex, Key);
        }
    }
}
