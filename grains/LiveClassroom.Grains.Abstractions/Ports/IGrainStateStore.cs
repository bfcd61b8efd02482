namespace LiveClassroom.Grains.Ports;

/// <summary>
/// Durable grain state, one JSON document per grain, guarded by an optimistic version and a fencing epoch
/// (the epoch of the lease the writer holds). Implemented by the server on PostgreSQL (<c>grain_state</c>).
/// </summary>
public interface IGrainStateStore
{
    /// <summary>
    /// Reads the grain's state and fences it: the stored epoch becomes <c>max(stored, epoch)</c>, so a writer holding
    /// an older epoch can never write again. Returns version 0 and null JSON for a grain never written; the returned
    /// <see cref="GrainStateRecord.Epoch"/> greater than <paramref name="epoch"/> means the caller is already stale.
    /// </summary>
    Task<GrainStateRecord> ReadAsync(GrainKey key, long epoch, CancellationToken ct = default);

    /// <summary>
    /// Writes the state if the stored version is <paramref name="expectedVersion"/> and the stored epoch is
    /// <paramref name="epoch"/>; returns the new version (expected + 1). Otherwise throws <see cref="GrainStateConflictException"/>.
    /// </summary>
    Task<long> WriteAsync(GrainKey key, string stateJson, long expectedVersion, long epoch, CancellationToken ct = default);
}
