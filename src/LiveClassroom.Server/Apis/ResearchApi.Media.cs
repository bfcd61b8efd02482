using LiveClassroom.Server.Recording;
using LiveClassroom.Server.Research;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// Session-scoped recording playback: a member asks for a lesson's recording (or the shared playback) and gets
/// URLs carrying a signed ticket, which a plain <c>&lt;video src&gt;</c> can play and seek without a bearer header.
/// </summary>
public static partial class ResearchApi
{
    private static void MapMedia(RouteGroupBuilder api)
    {
        api.MapGet("/sessions/{id:guid}/recordings/{recordingId:guid}/media", async (Guid id, Guid recordingId, HttpContext http,
            ResearchAccess access, ResearchStore store, ResearchLiveHost live, IRecordingCatalog recordings, MediaTickets tickets, CancellationToken ct) =>
        {
            var caller = Caller(http);
            var (session, _) = await access.RequireMemberAsync(caller, id, ct);
            var lessons = await store.LessonsAsync(id, ct);
            if (!lessons.Any(l => l.RecordingId == recordingId) && !await IsSharedPlaybackAsync(session, caller, recordingId, live, ct))
            {
                throw ResearchApiException.NotFound("recording_not_found", "No such recording in this session.", "本次教研活动中没有该录像。");
            }
            // Membership does not widen the library's rule: each viewer may watch only what they could open there.
            if (!await recordings.CanViewAsync(http.User, recordingId, ct))
            {
                throw ResearchApiException.RecordingNotViewable();
            }
            var ticket = tickets.Issue(caller.PersonId, id, recordingId);
            return Results.Ok(new
            {
                recordingId,
                mp4Url = $"/api/research/media/{ticket}/{RecordingPaths.Mp4}",
                posterUrl = $"/api/research/media/{ticket}/{RecordingPaths.Poster}",
                durationSeconds = await recordings.DurationSecondsAsync(recordingId, ct),
            });
        }).Doc("GetResearchMediaUrls", "Signed, time-limited URLs of a recording for <video>", 200, 403, 404);
    }

    /// <summary>The files a ticket opens; no bearer token (the ticket is the grant), 404 without detail for any bad ticket.</summary>
    private static void MapTicketedMedia(IEndpointRouteBuilder app)
    {
        var media = app.MapGroup("/api/research/media/{ticket}").AllowAnonymous();
        media.MapGet("/" + RecordingPaths.Mp4, (string ticket, HttpContext http, MediaTickets tickets, ResearchAccess access, RecordingService recordings, CancellationToken ct) =>
            ServeTicketedAsync(ticket, RecordingPaths.Mp4, "video/mp4", http, tickets, access, recordings, ct)).Doc("GetTicketedVideo", "A recording's MP4 by ticket (the ticket in the path is the grant)", 200, 404);
        media.MapGet("/" + RecordingPaths.Poster, (string ticket, HttpContext http, MediaTickets tickets, ResearchAccess access, RecordingService recordings, CancellationToken ct) =>
            ServeTicketedAsync(ticket, RecordingPaths.Poster, "image/jpeg", http, tickets, access, recordings, ct)).Doc("GetTicketedPoster", "A recording's poster by ticket (the ticket in the path is the grant)", 200, 404);
    }

    private static async Task<IResult> ServeTicketedAsync(string ticket, string file, string contentType, HttpContext http, MediaTickets tickets,
        ResearchAccess access, RecordingService recordings, CancellationToken ct)
    {
        if (tickets.Read(ticket) is not { } grant || !await access.TicketStillGrantsAsync(grant, ct))
        {
            return Results.NotFound();
        }
        return RecordingFiles.Serve(recordings.Root, grant.RecordingId, file, contentType, http, () => Results.NotFound());
    }

    private static async Task<bool> IsSharedPlaybackAsync(ResearchSessionRecord session, ResearchCaller caller, Guid recordingId, ResearchLiveHost live, CancellationToken ct)
    {
        if (session.Status is "cancelled" || session.Segments.Count == 0)
        {
            return false;
        }
        var snapshot = await live.RunLiveAsync(session, caller, (g, c) => g.GetLiveAsync(c), ct);
        return snapshot.Playback?.RecordingId == recordingId;
    }
}
