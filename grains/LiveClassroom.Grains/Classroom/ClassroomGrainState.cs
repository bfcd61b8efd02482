using LiveClassroom.Grains.Rooms;

namespace LiveClassroom.Grains.Classroom;

/// <summary>The persisted state of one class (<c>grain_state.state</c> of kind <c>classroom</c>).</summary>
internal sealed class ClassroomGrainState : RoomState
{
    public ClassState Status { get; set; } = ClassState.NotSetUp;

    /// <summary>+1 per whole write; a <see cref="ClassroomMediaLog"/> written since names it (0 in older states).</summary>
    public long Revision { get; set; }

    public ClassSetup? Setup { get; set; }

    public DateTimeOffset? OpenedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Ordered by tile: the lead classroom first, then the rural classrooms in setup order.</summary>
    public List<ClassroomRecord> Classrooms { get; set; } = [];

    /// <summary>In order of first join.</summary>
    public List<ParticipantRecord> Participants { get; set; } = [];

    /// <summary>Classroom ids, oldest raised hand first; never a duplicate.</summary>
    public List<string> HandQueue { get; set; } = [];

    /// <summary>Index i holds the classroom on stage seat i + 1, or null; length = MaxOnStage.</summary>
    public List<string?> StageSeats { get; set; } = [];

    /// <summary>
    /// Chat changes not yet in the stored chat history (<see cref="ClassroomChatState"/> of version
    /// <see cref="ChatVersion"/>): messages posted, pinned or dismissed since, as they stand now, in the order of their
    /// first change. States written before the history was kept apart hold the whole history here (and version 0),
    /// which loads the same way.
    /// </summary>
    public List<ChatMessage> Chat { get; set; } = [];

    /// <summary>Ids of messages that aged out of the history since the stored history was written.</summary>
    public List<string> ChatDropped { get; set; } = [];

    /// <summary>The version of the stored chat history that <see cref="Chat"/> and <see cref="ChatDropped"/> apply to.</summary>
    public long ChatVersion { get; set; }

    public long LastMessageNumber { get; set; }

    /// <summary>The last <see cref="ClassroomGrain.RecentActionLimit"/> keyed client actions, oldest first.</summary>
    public List<RecentAction> RecentActions { get; set; } = [];
}
