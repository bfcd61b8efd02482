namespace LiveClassroom.Grains.Research;

/// <summary>NotScheduled → Scheduled → Live → Ended.</summary>
public enum ResearchSessionState
{
    NotScheduled,
    Scheduled,
    Live,
    Ended,
}
