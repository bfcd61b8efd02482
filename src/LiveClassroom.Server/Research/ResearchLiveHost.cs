using LiveClassroom.Grains;
using LiveClassroom.Grains.Research;

namespace LiveClassroom.Server.Research;

/// <summary>
/// Reaches a session's grain for the HTTP API. The grain learns its agenda from the stored session the first time
/// it is used (it answers <c>not_set_up</c> until then), so scheduling needs no grain call.
/// </summary>
public sealed class ResearchLiveHost(IGrainFactory grains)
{
    public async Task<T> RunAsync<T>(ResearchSessionRecord session, ResearchCaller caller, Func<IResearchSessionGrain, RoomCaller, Task<T>> command)
    {
        var grain = grains.GetGrain<IResearchSessionGrain>(session.Id.ToString());
        var who = new RoomCaller(caller.PersonId.ToString(), caller.Name, RoomRole.Observer);
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
    public Task ReconfigureAsync(ResearchSessionRecord session) =>
        grains.GetGrain<IResearchSessionGrain>(session.Id.ToString()).SetUpLiveAsync(RoomCaller.System, Setup(session));

    private static ResearchLiveSetup Setup(ResearchSessionRecord s) =>
        new(s.HostId, "", s.Title, s.ScheduledStart, [.. s.Segments.Select(g => new SegmentPlan(g.Kind, g.Title, g.PlannedSeconds))], s.SpeakerTurnSeconds);
}
