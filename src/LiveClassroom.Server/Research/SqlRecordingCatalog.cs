using System.Security.Claims;
using LiveClassroom.Server.Access;
using LiveClassroom.Server.Library;
using LiveClassroom.Server.Recording;

namespace LiveClassroom.Server.Research;

/// <summary>
/// Looks recordings up in the recordings area's tables (<c>recordings</c>, <c>resources</c>, migration 0004) and
/// decides visibility with the library's own rule (<see cref="LibraryAccess.CanSeeRecording"/>), so a research session
/// or lesson plan never shows a recording its viewer could not open in the library.
/// </summary>
public sealed class SqlRecordingCatalog(RecordingStore recordings, LibraryStore library, LibraryAccess access) : IRecordingCatalog
{
    public async Task<bool> CanViewAsync(ClaimsPrincipal user, Guid recordingId, CancellationToken ct)
    {
        if (Caller.From(user) is not { } caller || await recordings.GetAsync(recordingId) is not { } recording)
        {
            return false;
        }
        return access.CanSeeRecording(user, caller, recording, await library.ByRecordingAsync(recordingId));
    }

    public async Task<Guid?> ResourceIdAsync(Guid recordingId, CancellationToken ct) =>
        (await library.ByRecordingAsync(recordingId))?.Id;

    public async Task<double?> DurationSecondsAsync(Guid recordingId, CancellationToken ct) =>
        (await recordings.GetAsync(recordingId))?.DurationSeconds;
}
