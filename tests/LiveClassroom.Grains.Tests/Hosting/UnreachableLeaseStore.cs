using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Tests.Hosting;

/// <summary>Wraps the in-memory lease store; while <see cref="Down"/> every call fails as if the database were unreachable.</summary>
internal sealed class UnreachableLeaseStore(IGrainLeaseStore inner) : IGrainLeaseStore
{
    public bool Down { get; set; }

    public Task<LeaseAcquisition> TryAcquireAsync(GrainKey key, string nodeId, string nodeUrl, TimeSpan duration, CancellationToken ct = default) =>
        Down ? throw new IOException("database unreachable") : inner.TryAcquireAsync(key, nodeId, nodeUrl, duration, ct);

    public Task<bool> RenewAsync(GrainKey key, string nodeId, long epoch, TimeSpan duration, CancellationToken ct = default) =>
        Down ? throw new IOException("database unreachable") : inner.RenewAsync(key, nodeId, epoch, duration, ct);

    public Task ReleaseAsync(GrainKey key, string nodeId, long epoch, CancellationToken ct = default) =>
        Down ? throw new IOException("database unreachable") : inner.ReleaseAsync(key, nodeId, epoch, ct);
}
