namespace LiveClassroom.Grains.Research;

/// <summary>
/// The live part of a session as the server stored it: host, agenda and per-turn time limit.
/// <paramref name="Title"/> and <paramref name="ScheduledStart"/> fill the definition when none was scheduled.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.ResearchLiveSetup")]
public sealed record ResearchLiveSetup(
    Guid HostId,
    string HostName,
    string Title,
    DateTimeOffset ScheduledStart,
    IReadOnlyList<SegmentPlan> Agenda,
    int SpeakerTurnSeconds);
