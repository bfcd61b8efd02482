using LiveClassroom.Grains.Rooms;

namespace LiveClassroom.Grains.Research;

/// <summary>The persisted state of one research session.</summary>
internal sealed class ResearchSessionGrainState : RoomState
{
    public ResearchSessionState Status { get; set; } = ResearchSessionState.NotScheduled;

    public ResearchSessionDefinition? Definition { get; set; }

    public List<string> Present { get; set; } = [];

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Agenda, floor, presences and playback; null until the server sets the live part up.</summary>
    public ResearchLiveState? Live { get; set; }
}
