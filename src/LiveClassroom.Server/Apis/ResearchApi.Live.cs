using LiveClassroom.Grains;
using LiveClassroom.Grains.Research;
using LiveClassroom.Server.Research;
using LiveClassroom.Server.Research.Contracts;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// The live session over plain HTTP: agenda, presence, floor and shared playback, each a call on the session's
/// grain, answered with the caller's fresh snapshot. The hub calls the same grain methods.
/// </summary>
public static partial class ResearchApi
{
    private static void MapLive(RouteGroupBuilder api)
    {
        api.MapGet("/sessions/{id:guid}/live", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, (g, c, _) => g.GetLiveAsync(c), ct)).Doc("GetResearchLive", "The live state of a session", 200, 400, 403, 404, 409, 503);

        api.MapPost("/sessions/{id:guid}/start", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, async (g, c, standing) =>
            {
                ResearchAccess.RequireHost(standing);
                await g.StartAsync(c);
                return await g.GetLiveAsync(c);
            }, ct)).Doc("StartResearchSession", "Starts the live session (host)", 200, 400, 403, 404, 409, 503);

        api.MapPost("/sessions/{id:guid}/segments/advance", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, (g, c, _) => g.AdvanceSegmentAsync(c), ct)).Doc("AdvanceResearchSegment", "Moves on to the next agenda item (host)", 200, 400, 403, 404, 409, 503);

        api.MapPost("/sessions/{id:guid}/end", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, async (g, c, standing) =>
            {
                ResearchAccess.RequireHost(standing);
                await g.EndAsync(c);
                return await g.GetLiveAsync(c);
            }, ct)).Doc("EndResearchSession", "Ends the live session (host)", 200, 400, 403, 404, 409, 503);

        api.MapPost("/sessions/{id:guid}/join", async (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
        {
            var connection = http.Request.ContentLength > 0 ? (await BodyAsync<JoinRequest>(http.Request, ct)).ConnectionId : null;
            return await LiveAsync(id, http, access, live,
                (g, c, standing) => g.JoinAsAsync(c, standing.LiveRole, string.IsNullOrEmpty(connection) ? "http" : connection), ct);
        }).Doc("JoinResearchSession", "Joins the live session; the optional body names the hub connection", 200, 400, 403, 404, 409, 503).Body<JoinRequest>();

        api.MapPost("/sessions/{id:guid}/leave", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, async (g, c, _) =>
            {
                await g.LeaveAsync(c);
                return await g.GetLiveAsync(c);
            }, ct)).Doc("LeaveResearchSession", "Leaves the live session", 200, 400, 403, 404, 409, 503);

        api.MapPost("/sessions/{id:guid}/floor/request", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, (g, c, _) => g.RequestFloorAsync(c), ct)).Doc("RequestResearchFloor", "Asks to speak", 200, 400, 403, 404, 409, 503);

        api.MapPost("/sessions/{id:guid}/floor/withdraw", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, (g, c, _) => g.WithdrawFloorRequestAsync(c), ct)).Doc("WithdrawResearchFloorRequest", "Withdraws the caller's request to speak", 200, 400, 403, 404, 409, 503);

        api.MapPost("/sessions/{id:guid}/floor/grant", async (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
        {
            var req = await BodyAsync<GrantRequest>(http.Request, ct);
            if (req.PersonId is not { } person)
            {
                throw ResearchApiException.BadRequest("invalid_personId", "'personId' is required.", "请指定发言人。");
            }
            return await LiveAsync(id, http, access, live, (g, c, _) => g.GrantFloorAsync(c, person), ct);
        }).Doc("GrantResearchFloor", "Gives the floor to a participant (host)", 200, 400, 403, 404, 409, 503).Body<GrantRequest>();

        api.MapPost("/sessions/{id:guid}/floor/end", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, (g, c, _) => g.EndTurnAsync(c), ct)).Doc("EndResearchFloor", "Takes the floor back (host)", 200, 400, 403, 404, 409, 503);

        api.MapPut("/sessions/{id:guid}/playback", async (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, IRecordingCatalog recordings, CancellationToken ct) =>
        {
            var req = await BodyAsync<PlaybackRequest>(http.Request, ct);
            if (req.RecordingId is not { } rec || req.Playing is not { } playing || req.PositionSeconds is not { } position)
            {
                throw ResearchApiException.BadRequest("invalid_playback", "'recordingId', 'playing' and 'positionSeconds' are required.", "请提供录像、播放状态和播放位置。");
            }
            return await LiveAsync(id, http, access, live, async (g, c, _) =>
            {
                // After the membership check, so outsiders learn nothing about the recording.
                await recordings.RequireViewableAsync(http.User, rec, ct);
                return await g.SetPlaybackAsync(c, rec, playing, position);
            }, ct);
        }).Doc("SetResearchPlayback", "Shared recording playback: which recording, where, playing or not", 200, 400, 403, 404, 409, 503).Body<PlaybackRequest>();
    }

    private static async Task<IResult> LiveAsync(
        Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live,
        Func<IResearchSessionGrain, RoomCaller, SessionStanding, Task<ResearchLiveSnapshot>> command, CancellationToken ct)
    {
        var caller = Caller(http);
        var (session, standing) = await access.RequireMemberAsync(caller, id, ct);
        return Results.Ok(await live.RunLiveAsync(session, caller, (g, c) => command(g, c, standing), ct));
    }
}
