namespace LiveClassroom.Grains.Hosting;

/// <summary>Lifecycle of one activation.</summary>
internal enum ActivationStatus
{
    Activating,
    Active,
    Deactivated,
}
