namespace LiveClassroom.Grains.Ports;

/// <summary>Outcome of <see cref="IGrainLeaseStore.TryAcquireAsync"/>: our lease at <paramref name="Epoch"/>, or the live owner.</summary>
public sealed record LeaseAcquisition(bool Acquired, long Epoch, string OwnerNodeId, string OwnerUrl, DateTimeOffset ExpiresAt);
