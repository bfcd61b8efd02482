namespace LiveClassroom.Server.Research;

/// <summary>The research area's view of the recordings library (another area owns it).</summary>
public interface IRecordingCatalog
{
    Task<bool> ExistsAsync(Guid recordingId, CancellationToken ct);

    /// <summary>The library resource made from the recording, if any: report links open the resource page at a moment.</summary>
    Task<Guid?> ResourceIdAsync(Guid recordingId, CancellationToken ct);

    /// <summary>Length of the finalized recording, if known (null while it is still being processed).</summary>
    Task<double?> DurationSecondsAsync(Guid recordingId, CancellationToken ct);
}
