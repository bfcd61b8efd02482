namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// What a class's media negotiations changed since its state was last written whole (<c>grain_state</c> row kind
/// <c>classroommedia</c>): the commit point of those changes and of their events' sequence numbers, so that a negotiation
/// writes a few hundred bytes per participant instead of the whole class (~260 KB with 600 participants). Loading applies
/// it to the class's state when it names the state's <see cref="ClassroomGrainState.Revision"/> (a later whole write
/// holds it all, and bumps the revision).
/// </summary>
internal sealed class ClassroomMediaLog
{
    /// <summary>The class state's revision this log applies to.</summary>
    public long Revision { get; set; }

    /// <summary>The class's last event number at this write (its events are published after it).</summary>
    public long Sequence { get; set; }

    public DateTimeOffset? WrittenAt { get; set; }

    public string? WrittenBy { get; set; }

    /// <summary>Every participant whose media changed since the whole write, as it stands now, in the class's order.</summary>
    public List<ParticipantMedia> Participants { get; set; } = [];
}
