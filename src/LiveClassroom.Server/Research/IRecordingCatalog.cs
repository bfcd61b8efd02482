namespace LiveClassroom.Server.Research;

/// <summary>The research area's view of the recordings library (another area owns it).</summary>
public interface IRecordingCatalog
{
    Task<bool> ExistsAsync(Guid recordingId, CancellationToken ct);
}
