using LiveClassroom.Grains.Research;
using LiveClassroom.Server.Research;
using LiveClassroom.Server.Research.Contracts;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// The live session over plain HTTP: agenda, presence, floor and shared playback. Each call answers with the
/// caller's fresh snapshot. A real-time transport calls <see cref="ResearchLiveHost"/> the same way.
/// </summary>
public static partial class ResearchApi
{
    private static void MapLive(RouteGroupBuilder api)
    {
        api.MapGet("/sessions/{id:guid}/live", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, (rules, caller, _) => { }, ct));

        api.MapPost("/sessions/{id:guid}/start", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, (rules, caller, _) => rules.Start(caller.PersonId), ct));

        api.MapPost("/sessions/{id:guid}/segments/advance", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, (rules, caller, _) => rules.AdvanceSegment(caller.PersonId), ct));

        api.MapPost("/sessions/{id:guid}/end", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, (rules, caller, _) => rules.End(caller.PersonId), ct));

        api.MapPost("/sessions/{id:guid}/join", async (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
        {
            var connection = http.Request.ContentLength > 0 ? (await BodyAsync<JoinRequest>(http.Request, ct)).ConnectionId : null;
            return await LiveAsync(id, http, access, live,
                (rules, caller, standing) => rules.Join(caller.PersonId, caller.Name, standing.LiveRole, string.IsNullOrEmpty(connection) ? "http" : connection), ct);
        });

        api.MapPost("/sessions/{id:guid}/leave", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, (rules, caller, _) => rules.Leave(caller.PersonId), ct));

        api.MapPost("/sessions/{id:guid}/floor/request", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, (rules, caller, _) => rules.RequestToSpeak(caller.PersonId), ct));

        api.MapPost("/sessions/{id:guid}/floor/withdraw", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, (rules, caller, _) => rules.WithdrawRequest(caller.PersonId), ct));

        api.MapPost("/sessions/{id:guid}/floor/grant", async (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
        {
            var req = await BodyAsync<GrantRequest>(http.Request, ct);
            if (req.PersonId is not { } person)
            {
                throw ResearchApiException.BadRequest("invalid_personId", "'personId' is required.", "请指定发言人。");
            }
            return await LiveAsync(id, http, access, live, (rules, caller, _) => rules.Grant(caller.PersonId, person), ct);
        });

        api.MapPost("/sessions/{id:guid}/floor/end", (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
            LiveAsync(id, http, access, live, (rules, caller, _) => rules.EndCurrentTurn(caller.PersonId), ct));

        api.MapPut("/sessions/{id:guid}/playback", async (Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, IRecordingCatalog recordings, CancellationToken ct) =>
        {
            var req = await BodyAsync<PlaybackRequest>(http.Request, ct);
            if (req.RecordingId is not { } rec || req.Playing is not { } playing || req.PositionSeconds is not { } position)
            {
                throw ResearchApiException.BadRequest("invalid_playback", "'recordingId', 'playing' and 'positionSeconds' are required.", "请提供录像、播放状态和播放位置。");
            }
            if (!await recordings.ExistsAsync(rec, ct))
            {
                throw RecordingNotFound();
            }
            return await LiveAsync(id, http, access, live, (rules, caller, _) => rules.SetPlayback(caller.PersonId, rec, playing, position), ct);
        });
    }

    private static async Task<IResult> LiveAsync(
        Guid id, HttpContext http, ResearchAccess access, ResearchLiveHost live, Action<ResearchSessionRules, ResearchCaller, SessionStanding> command, CancellationToken ct)
    {
        var caller = Caller(http);
        var (session, standing) = await access.RequireMemberAsync(caller, id, ct);
        if (session.Status == "cancelled")
        {
            throw ResearchApiException.Conflict("session_cancelled", "The session was cancelled.", "教研活动已取消。");
        }
        var snapshot = await live.RunAsync(session, rules =>
        {
            command(rules, caller, standing);
            return rules.Snapshot(caller.PersonId);
        }, ct);
        return Results.Ok(snapshot);
    }
}
