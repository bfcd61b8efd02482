using System.Security.Claims;

namespace LiveClassroom.Server.Research;

/// <summary>The research area's view of the recordings library (another area owns it, and its visibility rule).</summary>
public interface IRecordingCatalog
{
    /// <summary>
    /// Whether the recording exists and <paramref name="user"/> may watch it under the library's rule (author, the
    /// school and its admins, or published and not taken down). False for unknown ids: callers do not tell the two apart.
    /// </summary>
    Task<bool> CanViewAsync(ClaimsPrincipal user, Guid recordingId, CancellationToken ct);

    /// <summary>The library resource made from the recording, if any: report links open the resource page at a moment.</summary>
    Task<Guid?> ResourceIdAsync(Guid recordingId, CancellationToken ct);

    /// <summary>Length of the finalized recording, if known (null while it is still being processed).</summary>
    Task<double?> DurationSecondsAsync(Guid recordingId, CancellationToken ct);
}
