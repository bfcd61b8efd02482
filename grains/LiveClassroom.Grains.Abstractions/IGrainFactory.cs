namespace LiveClassroom.Grains;

/// <summary>
/// Hands out references to grains by id. A reference is cheap and activates nothing by itself: the first call
/// activates the grain on this node (or fails with <see cref="GrainOwnedElsewhereException"/> when another live
/// node owns it). Grain kinds: <see cref="Classroom.IClassroomGrain"/> (<c>classroom</c>),
/// <see cref="Pairing.IRemoteClassPairingGrain"/> (<c>pairing</c>), <see cref="Research.IResearchSessionGrain"/> (<c>research</c>).
/// </summary>
public interface IGrainFactory
{
    T GetGrain<T>(string id) where T : class, IGrain;
}
