namespace LiveClassroom.Grains.Research;

/// <summary>
/// Everything <see cref="ResearchSessionRules"/> knows, as plain data so the grain persists it with its state and a
/// move to another node (or a restart) resumes the agenda, the floor, presences and playback where they were.
/// </summary>
public sealed class ResearchLiveState
{
    public Guid HostId { get; set; }

    public List<SegmentPlan> Agenda { get; set; } = [];

    public int SpeakerTurnSeconds { get; set; } = 300;

    public string Status { get; set; } = ResearchSessionRules.StatusScheduled;

    public int CurrentSegmentIndex { get; set; } = -1;

    public DateTimeOffset? CurrentSegmentStartedAt { get; set; }

    public List<ResearchPresence> Present { get; set; } = [];

    public List<Guid> Queue { get; set; } = [];

    public Guid? SpeakerId { get; set; }

    public DateTimeOffset? SpeakerStartedAt { get; set; }

    public PlaybackState? Playback { get; set; }

    /// <summary>Moves on each time the session's connections were all lost with its node (<see cref="ResearchSessionRules.ConnectionsLost"/>).</summary>
    public int MediaEpoch { get; set; }
}
