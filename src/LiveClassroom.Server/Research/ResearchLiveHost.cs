using LiveClassroom.Grains;
using LiveClassroom.Grains.Research;

namespace LiveClassroom.Server.Research;

/// <summary>
/// Reaches a session's grain for the HTTP API and the research hub. The grain learns its agenda from the stored
/// session the first time it is used (it answers <c>not_set_up</c> until then), so scheduling needs no grain call.
/// </summary>
public sealed class ResearchLiveHost(IGrainFactory grains, ResearchStore store)
{
    /// <summary>How a person is named to the session's grain (roles in a session come from <see cref="SessionStanding"/>, not from this).</summary>
    public static RoomCaller RoomCallerFor(ResearchCaller caller) => new(caller.PersonId.ToString(), caller.Name, RoomRole.Observer);

    public IResearchSessionGrain Grain(Guid sessionId) => grains.GetGrain<IResearchSessionGrain>(sessionId.ToString());

    /// <summary>
    /// Runs a live command for a member (refused for a cancelled session) and heals the stored status when the
    /// grain's differs (the grain is the truth once a session runs; the table lags after a crash between the two).
    /// </summary>
    public async Task<ResearchLiveSnapshot> RunLiveAsync(
        ResearchSessionRecord session, ResearchCaller caller, Func<IResearchSessionGrain, RoomCaller, Task<ResearchLiveSnapshot>> command, CancellationToken ct)
    {
        if (session.Status == "cancelled")
        {
            throw ResearchApiException.Conflict("session_cancelled", "The session was cancelled.", "教研活动已取消。");
        }
        var snapshot = await RunAsync(session, caller, command);
        if (snapshot.Status != session.Status)
        {
            await store.EnsureStatusAsync(session.Id, snapshot.Status, snapshot.ServerTime, ct);
        }
        return snapshot;
    }

    public async Task<T> RunAsync<T>(ResearchSessionRecord session, ResearchCaller caller, Func<IResearchSessionGrain, RoomCaller, Task<T>> command)
    {
        var grain = Grain(session.Id);
        var who = RoomCallerFor(caller);
        try
        {
            return await command(grain, who);
        }
        catch (Exception ex) when (ex is ResearchRuleException { Code: "not_set_up" } or RoomRuleException { Code: RoomErrorCode.NotFound })
        {
            try
            {
                await grain.SetUpLiveAsync(RoomCaller.System, Setup(session));
            }
            catch (ResearchRuleException raced) when (raced.Code == "already_started")
            {
                // Another request set the grain up and started it in between: it is ready.
            }
            return await command(grain, who);
        }
    }

    /// <summary>Tells the grain about a changed agenda (it refuses once the session has started).</summary>
    public Task ReconfigureAsync(ResearchSessionRecord session) => Grain(session.Id).SetUpLiveAsync(RoomCaller.System, Setup(session));

    private static ResearchLiveSetup Setup(ResearchSessionRecord s) =>
        new(s.HostId, "", s.Title, s.ScheduledStart, [.. s.Segments.Select(g => new SegmentPlan(g.Kind, g.Title, g.PlannedSeconds))], s.SpeakerTurnSeconds);
}
