using LiveClassroom.Grains.Hosting;

namespace LiveClassroom.Grains.Research;

/// <summary>The persisted state of one research session.</summary>
internal sealed class ResearchSessionGrainState : RoomState
{
    public ResearchSessionState Status { get; set; } = ResearchSessionState.NotScheduled;

    public ResearchSessionDefinition? Definition { get; set; }

    public List<string> Present { get; set; } = [];

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }
}
