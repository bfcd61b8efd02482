namespace LiveClassroom.Grains.Research;

/// <summary>
/// A fact the session produced, to be recorded (participation, segment runs, speaking turns).
/// <see cref="Type"/>: segment_started, segment_ended, joined, left, turn_ended, session_started, session_ended.
/// A turn is reported once, when it ends, with <see cref="StartedAt"/> and <see cref="At"/> (its end).
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.ResearchEvent")]
public sealed record ResearchEvent(
    string Type,
    DateTimeOffset At,
    Guid? PersonId = null,
    int? SegmentIndex = null,
    string? Role = null,
    DateTimeOffset? StartedAt = null,
    string? EndedBy = null);
