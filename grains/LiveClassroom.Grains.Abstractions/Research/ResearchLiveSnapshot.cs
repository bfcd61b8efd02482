namespace LiveClassroom.Grains.Research;

/// <summary>
/// What one viewer sees of the live session. Observers appear in <see cref="Participants"/> only for the
/// host and for themselves; everyone sees <see cref="ObserverCount"/>.
/// </summary>
public sealed record ResearchLiveSnapshot(
    string Status,
    DateTimeOffset ServerTime,
    SegmentView? CurrentSegment,
    int SegmentCount,
    SpeakerView? Speaker,
    IReadOnlyList<Guid> SpeakerQueue,
    IReadOnlyList<ResearchParticipantView> Participants,
    int ObserverCount,
    PlaybackState? Playback,
    int SpeakerTurnSeconds);
