namespace LiveClassroom.Grains.Classroom;

/// <summary>Lifecycle of a class: NotSetUp → Scheduled → Live → Ended (Ended refuses every mutation).</summary>
public enum ClassState
{
    NotSetUp,
    Scheduled,
    Live,
    Ended,
}
