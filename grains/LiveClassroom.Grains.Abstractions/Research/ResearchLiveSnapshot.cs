namespace LiveClassroom.Grains.Research;

/// <summary>
/// What one viewer sees of the live session. Observers appear in <see cref="Participants"/> only for the
/// host and for themselves; everyone sees <see cref="ObserverCount"/>. <see cref="Tiles"/>: person ids of present,
/// connected participants (not the host, not observers) publishing a camera, in join order, at most 12 — the
/// <c>tile1…12</c> receive slots show them in this order. <see cref="MediaEpoch"/> moves on when the session's node died
/// and took every connection with it: a page that joined under an older epoch joins and negotiates media again.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.ResearchLiveSnapshot")]
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
    int SpeakerTurnSeconds,
    IReadOnlyList<Guid> Tiles,
    int MediaEpoch = 0);
