namespace LiveClassroom.Grains.Research;

/// <summary>
/// Payload of <see cref="ResearchEventTypes.LiveChanged"/>: the session as participants see it (observers hidden,
/// counted) and the facts this change produced, which the server records for participation.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.ResearchLiveChanged")]
public sealed record ResearchLiveChanged(ResearchLiveSnapshot Snapshot, IReadOnlyList<ResearchEvent> Facts);
