namespace LiveClassroom.Grains.Research;

/// <summary>
/// A live teaching-research session (grain kind <c>research</c>). Skeleton for now: schedule, host, invited
/// participants, join/leave and state; a later issue adds media and research tools.
/// </summary>
public interface IResearchSessionGrain : IGrain
{
    /// <summary>Researcher/Admin (becoming or naming the host): defines or reschedules the session while Scheduled.</summary>
    Task<ResearchSessionSnapshot> ScheduleAsync(RoomCaller caller, ResearchSessionDefinition definition);

    /// <summary>Host: Scheduled → Live.</summary>
    Task<ResearchSessionSnapshot> StartAsync(RoomCaller caller);

    /// <summary>Host: Live → Ended.</summary>
    Task<ResearchSessionSnapshot> EndAsync(RoomCaller caller);

    /// <summary>The host or an invited person joins (while Scheduled or Live).</summary>
    Task<ResearchSessionSnapshot> JoinAsync(RoomCaller caller);

    Task LeaveAsync(RoomCaller caller);

    Task<ResearchSessionSnapshot> GetSnapshotAsync(RoomCaller caller);
}
