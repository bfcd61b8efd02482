using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Testing;

/// <summary>The lease store's contract in memory, expiry judged by the given clock.</summary>
public sealed class InMemoryGrainLeaseStore(TimeProvider time) : IGrainLeaseStore
{
    private readonly object _lock = new();
    private readonly Dictionary<GrainKey, Row> _rows = [];

    public Task<LeaseAcquisition> TryAcquireAsync(GrainKey key, string nodeId, string nodeUrl, TimeSpan duration, CancellationToken ct = default)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_rows.TryGetValue(key, out var row) && row.Owner != nodeId && row.ExpiresAt > now)
            {
                return Task.FromResult(new LeaseAcquisition(false, row.Epoch, row.Owner, row.Url, row.ExpiresAt));
            }
            var taken = new Row(nodeId, nodeUrl, now + duration, (row?.Epoch ?? 0) + 1);
            _rows[key] = taken;
            return Task.FromResult(new LeaseAcquisition(true, taken.Epoch, nodeId, nodeUrl, taken.ExpiresAt));
        }
    }

    public Task<bool> RenewAsync(GrainKey key, string nodeId, long epoch, TimeSpan duration, CancellationToken ct = default)
    {
        lock (_lock)
        {
            // Expired but untaken is still ours: a takeover would have raised the epoch.
            if (_rows.TryGetValue(key, out var row) && row.Owner == nodeId && row.Epoch == epoch)
            {
                _rows[key] = row with { ExpiresAt = time.GetUtcNow() + duration };
                return Task.FromResult(true);
            }
            return Task.FromResult(false);
        }
    }

    public Task ReleaseAsync(GrainKey key, string nodeId, long epoch, CancellationToken ct = default)
    {
        lock (_lock)
        {
            if (_rows.TryGetValue(key, out var row) && row.Owner == nodeId && row.Epoch == epoch)
            {
                _rows[key] = row with { ExpiresAt = time.GetUtcNow() };
            }
            return Task.CompletedTask;
        }
    }

    /// <summary>Who holds the lease now (null if nobody ever did).</summary>
    public (string Owner, long Epoch, DateTimeOffset ExpiresAt)? Peek(GrainKey key)
    {
        lock (_lock)
        {
            return _rows.TryGetValue(key, out var r) ? (r.Owner, r.Epoch, r.ExpiresAt) : null;
        }
    }

    private sealed record Row(string Owner, string Url, DateTimeOffset ExpiresAt, long Epoch);
}
