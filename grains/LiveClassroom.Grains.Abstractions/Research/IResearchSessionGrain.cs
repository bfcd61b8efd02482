using LiveClassroom.Grains.Classroom;

namespace LiveClassroom.Grains.Research;

/// <summary>
/// A live teaching-research session (grain kind <c>research</c>, id = the session id). Its agenda, floor, presences
/// and shared playback follow <c>ResearchSessionRules</c>; refusals throw <see cref="ResearchRuleException"/> with a
/// stable code and English/Chinese messages (nothing changes). Person ids travel as <see cref="RoomCaller.PrincipalId"/>
/// (the <c>sub</c> claim, a Guid). Every live method answers with the caller's <see cref="ResearchLiveSnapshot"/>.
/// </summary>
[Alias("lc.IResearchSessionGrain")]
public interface IResearchSessionGrain : IRoomGrain
{
    /// <summary>Researcher/Admin (becoming or naming the host): defines or reschedules the session while Scheduled.</summary>
    Task<ResearchSessionSnapshot> ScheduleAsync(RoomCaller caller, ResearchSessionDefinition definition);

    /// <summary>System (the server, from the stored session) or Admin: agenda and turn limit; before Live; repeatable.</summary>
    Task<ResearchLiveSnapshot> SetUpLiveAsync(RoomCaller caller, ResearchLiveSetup setup);

    /// <summary>Host: Scheduled → Live; the first segment starts.</summary>
    Task<ResearchSessionSnapshot> StartAsync(RoomCaller caller);

    /// <summary>Host: Live → Ended; the segment, the turn and every presence close at this instant.</summary>
    Task<ResearchSessionSnapshot> EndAsync(RoomCaller caller);

    /// <summary>The host or an invited person (of the definition) joins as a participant (while Scheduled or Live).</summary>
    Task<ResearchSessionSnapshot> JoinAsync(RoomCaller caller);

    /// <summary>
    /// Joins with the role the server resolved from invitations and organisation roles (<see cref="ResearchRoles"/>:
    /// participant or observer; the host is recognised by id). A new <paramref name="connectionId"/> of someone present,
    /// or a return within the reconnect grace, keeps one presence.
    /// </summary>
    Task<ResearchLiveSnapshot> JoinAsAsync(RoomCaller caller, string role, string connectionId);

    Task LeaveAsync(RoomCaller caller);

    /// <summary>Server (hub disconnect): the connection dropped; the person stays present for the reconnect grace.</summary>
    Task ConnectionLostAsync(RoomCaller caller, string connectionId);

    Task<ResearchSessionSnapshot> GetSnapshotAsync(RoomCaller caller);

    /// <summary>The live session as the caller sees it (observers are visible to the host and to themselves only).</summary>
    Task<ResearchLiveSnapshot> GetLiveAsync(RoomCaller caller);

    /// <summary>Host: ends the running segment and starts the next.</summary>
    Task<ResearchLiveSnapshot> AdvanceSegmentAsync(RoomCaller caller);

    /// <summary>A present participant asks for the floor (observers cannot).</summary>
    Task<ResearchLiveSnapshot> RequestFloorAsync(RoomCaller caller);

    Task<ResearchLiveSnapshot> WithdrawFloorRequestAsync(RoomCaller caller);

    /// <summary>Host: gives the floor to a queued person, ending any current turn.</summary>
    Task<ResearchLiveSnapshot> GrantFloorAsync(RoomCaller caller, Guid personId);

    /// <summary>Host or the speaker ends the current turn (the turn timer ends it on its own).</summary>
    Task<ResearchLiveSnapshot> EndTurnAsync(RoomCaller caller);

    /// <summary>
    /// A present, connected person negotiates media in the session's SFU room (<c>research-{id:N}</c>): publish mids
    /// and receive slots (<c>host</c>, <c>host-audio</c>, <c>speaker</c>, <c>speaker-audio</c>, <c>tile1…12</c>); the
    /// grain then routes the slots and keeps them routed. Observers may not publish (<c>forbidden</c>).
    /// </summary>
    Task<MediaAnswer> ConnectMediaAsync(RoomCaller caller, MediaOffer offer);

    /// <summary>Host: play, pause or seek the shared recording (the server checks the recording exists).</summary>
    Task<ResearchLiveSnapshot> SetPlaybackAsync(RoomCaller caller, Guid recordingId, bool playing, double positionSeconds);
}
