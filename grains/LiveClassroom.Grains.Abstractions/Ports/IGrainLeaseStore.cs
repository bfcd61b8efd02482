namespace LiveClassroom.Grains.Ports;

/// <summary>
/// Placement: which node owns an active grain. One lease row per grain (<c>room_leases</c>); expiry is judged by the
/// store's clock (the database's <c>now()</c>), so node clocks need not agree. Every successful acquisition
/// increments the fencing epoch, which every state write then carries.
/// </summary>
public interface IGrainLeaseStore
{
    /// <summary>
    /// Takes the lease if nobody holds it, it has expired, or this node already holds it; the result then has
    /// <see cref="LeaseAcquisition.Acquired"/> and the new epoch. Otherwise it names the live owner.
    /// </summary>
    Task<LeaseAcquisition> TryAcquireAsync(GrainKey key, string nodeId, string nodeUrl, TimeSpan duration, CancellationToken ct = default);

    /// <summary>Extends the lease if this node still holds it at <paramref name="epoch"/> and it has not expired; false otherwise (the lease is lost).</summary>
    Task<bool> RenewAsync(GrainKey key, string nodeId, long epoch, TimeSpan duration, CancellationToken ct = default);

    /// <summary>Lets the lease go (expires it now) if this node still holds it at <paramref name="epoch"/>; the epoch row stays so epochs keep rising.</summary>
    Task ReleaseAsync(GrainKey key, string nodeId, long epoch, CancellationToken ct = default);
}
