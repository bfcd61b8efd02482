using System.Security.Claims;

namespace LiveClassroom.Server.Research;

public static class RecordingCatalogExtensions
{
    /// <summary>Refuses with 404 <c>recording_not_found</c> unless <paramref name="user"/> may watch the recording.</summary>
    public static async Task RequireViewableAsync(this IRecordingCatalog catalog, ClaimsPrincipal user, Guid recordingId, CancellationToken ct)
    {
        if (!await catalog.CanViewAsync(user, recordingId, ct))
        {
            throw ResearchApiException.RecordingNotFound();
        }
    }
}
