using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// One live class session (grain kind <c>classroom</c>, id = live class id). All room rules are enforced here from
/// the <see cref="RoomCaller"/> passed in; a refused call throws <see cref="RoomRuleException"/> and changes nothing.
/// Every change emits a <see cref="RoomEvent"/> (types in <see cref="ClassEventTypes"/>) with a gap-free sequence.
/// See docs/GRAINS.md for the role of each method.
/// </summary>
[Alias("lc.IClassroomGrain")]
public interface IClassroomGrain : IRoomGrain
{
    /// <summary>Defines the class (lead teacher, lead classroom, rural classrooms). System/Admin only; only while Scheduled.</summary>
    Task<ClassSnapshot> SetupAsync(RoomCaller caller, ClassSetup setup);

    /// <summary>Lead: Scheduled → Live. Opens the media room.</summary>
    Task<ClassSnapshot> OpenAsync(RoomCaller caller);

    /// <summary>Lead: Live → Ended. Closes attendance and the media room; afterwards every mutation is refused.</summary>
    Task<ClassSnapshot> EndAsync(RoomCaller caller);

    /// <summary>
    /// Any allowed caller joins (or rejoins: same principal resumes its tile, hand and stage place). Returns a snapshot.
    /// Interleaved: after a fresh activation every page joins again at once (hundreds in a large class), and each join
    /// changes the state before its only wait, the write; joins that arrive while one is written share the next write
    /// instead of writing the whole class state one join after the other. Whatever waits in the grain re-checks a
    /// participant's connection after its waits.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<ClassSnapshot> JoinAsync(RoomCaller caller);

    /// <summary>The caller leaves on purpose: its classroom's hand is lowered and it leaves the stage if nobody else of that classroom remains.</summary>
    Task LeaveAsync(RoomCaller caller);

    /// <summary>Server: the principal's connection dropped without a leave. It becomes Reconnecting and keeps its place; after the reconnect grace it is Left.</summary>
    Task ConnectionLostAsync(string principalId);

    /// <summary>
    /// A joined participant negotiates media (offer → answer) declaring its publish mids and receive slots; the grain then
    /// routes its slots. Interleaved: the offers of many classrooms at once (a media node lost, a class reactivated) are
    /// negotiated on their nodes side by side and share state writes and routing passes instead of queueing one whole
    /// turn each; the grain re-checks the participant after each wait and keeps one negotiation per participant at a time.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<MediaAnswer> ConnectMediaAsync(RoomCaller caller, MediaOffer offer);

    /// <summary>Server/participant: latest connection quality of one or more participants (by peer id = principal id).</summary>
    Task ReportStatsAsync(IReadOnlyList<ParticipantStats> stats);

    /// <summary>Classroom: raise the caller's classroom's hand (no-op if already raised: keeps its queue position).</summary>
    Task RaiseHandAsync(RoomCaller caller);

    /// <summary>
    /// <see cref="RaiseHandAsync"/> done at most once per (caller, <paramref name="actionKey"/>): a retry with a key the
    /// room has seen changes nothing, even if the hand was lowered or dismissed since. The room keeps its last 256 keys.
    /// </summary>
    Task RaiseHandOnceAsync(RoomCaller caller, string actionKey);

    /// <summary>Classroom: lower the caller's classroom's own hand.</summary>
    Task LowerHandAsync(RoomCaller caller);

    /// <summary>Lead: dismiss a classroom's raised hand.</summary>
    Task DismissHandAsync(RoomCaller caller, string classroomId);

    /// <summary>Lead: bring a classroom on stage (its camera and microphone go to everyone); at most <see cref="ClassSetup.MaxOnStage"/>.</summary>
    Task BringOnStageAsync(RoomCaller caller, string classroomId);

    /// <summary>Lead: take a classroom off stage.</summary>
    Task TakeOffStageAsync(RoomCaller caller, string classroomId);

    /// <summary>Lead only: server-enforced mute/unmute of a classroom's microphone. A classroom cannot undo it.</summary>
    Task SetClassroomMutedAsync(RoomCaller caller, string classroomId, bool muted);

    /// <summary>Anyone joined: a chat message, or a question for the Q&amp;A list when <paramref name="isQuestion"/>.</summary>
    Task<ChatMessage> PostChatAsync(RoomCaller caller, string text, bool isQuestion);

    /// <summary>
    /// <see cref="PostChatAsync"/> done at most once per (caller, <paramref name="actionKey"/>): a retry returns the
    /// message first posted instead of posting it again (the same text is required). The room keeps its last 256 keys.
    /// </summary>
    Task<ChatMessage> PostChatOnceAsync(RoomCaller caller, string text, bool isQuestion, string actionKey);

    /// <summary>Lead: pin or unpin a message.</summary>
    Task PinMessageAsync(RoomCaller caller, string messageId, bool pinned);

    /// <summary>Lead: dismiss a message (hidden from the list, kept in history as dismissed).</summary>
    Task DismissMessageAsync(RoomCaller caller, string messageId);

    /// <summary>Anyone allowed in the class: the full state for late joiners and resync (<see cref="ClassSnapshot.Sequence"/> = last event).</summary>
    Task<ClassSnapshot> GetSnapshotAsync(RoomCaller caller);

    /// <summary>
    /// Lead, or an admin the server found responsible for the class: each connected participant's link as the SFU
    /// measures it now (the console's classroom tiles, the admins' network dashboard).
    /// </summary>
    Task<IReadOnlyList<ParticipantLink>> GetLinksAsync(RoomCaller caller);
}
