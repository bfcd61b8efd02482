namespace LiveClassroom.Grains.Hosting;

/// <summary>What a mailbox item is: a caller's call, a timer tick, an idle check or a deactivation request.</summary>
internal enum GrainWorkKind
{
    Call,
    Timer,
    IdleCheck,
    Deactivate,
}
