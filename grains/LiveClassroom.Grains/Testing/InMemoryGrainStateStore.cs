using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Testing;

/// <summary>The state store's contract (version check, epoch fencing) in memory, for logic tests and local runs.</summary>
public sealed class InMemoryGrainStateStore : IGrainStateStore
{
    private readonly object _lock = new();
    private readonly Dictionary<GrainKey, GrainStateRecord> _rows = [];

    /// <summary>Number of successful writes, to show work was persisted.</summary>
    public int WriteCount { get; private set; }

    public Task<GrainStateRecord> ReadAsync(GrainKey key, long epoch, CancellationToken ct = default)
    {
        lock (_lock)
        {
            var row = _rows.GetValueOrDefault(key) ?? new GrainStateRecord(null, 0, 0);
            row = row with { Epoch = Math.Max(row.Epoch, epoch) };
            _rows[key] = row;
            return Task.FromResult(row);
        }
    }

    public Task<long> WriteAsync(GrainKey key, string stateJson, long expectedVersion, long epoch, CancellationToken ct = default)
    {
        lock (_lock)
        {
            var row = _rows.GetValueOrDefault(key) ?? new GrainStateRecord(null, 0, 0);
            if (row.Version != expectedVersion || row.Epoch != epoch)
            {
                throw new GrainStateConflictException(key, expectedVersion, epoch, row.Version, row.Epoch);
            }
            _rows[key] = new GrainStateRecord(stateJson, expectedVersion + 1, epoch);
            WriteCount++;
            return Task.FromResult(expectedVersion + 1);
        }
    }

    /// <summary>The stored row as it is now (tests inspect it).</summary>
    public GrainStateRecord? Peek(GrainKey key)
    {
        lock (_lock)
        {
            return _rows.GetValueOrDefault(key);
        }
    }
}
