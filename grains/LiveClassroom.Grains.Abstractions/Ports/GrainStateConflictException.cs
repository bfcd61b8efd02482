namespace LiveClassroom.Grains.Ports;

/// <summary>A state write lost: another writer changed the version, or a newer lease epoch fenced this writer off.</summary>
public sealed class GrainStateConflictException : Exception
{
    public GrainStateConflictException(GrainKey key, long expectedVersion, long epoch, long storedVersion, long storedEpoch)
        : base($"state of {key} changed underneath: expected version {expectedVersion} at epoch {epoch}, stored version {storedVersion} at epoch {storedEpoch}")
    {
        Key = key;
        Epoch = epoch;
        StoredVersion = storedVersion;
        StoredEpoch = storedEpoch;
    }

    public GrainStateConflictException()
    {
    }

    public GrainStateConflictException(string message) : base(message)
    {
    }

    public GrainStateConflictException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public GrainKey Key { get; }

    public long Epoch { get; }

    public long StoredVersion { get; }

    public long StoredEpoch { get; }

    /// <summary>True when a newer lease epoch fenced the writer off: it no longer owns the grain.</summary>
    public bool IsStaleEpoch => StoredEpoch != Epoch;
}
