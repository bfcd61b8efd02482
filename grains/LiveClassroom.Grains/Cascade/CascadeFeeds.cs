namespace LiveClassroom.Grains.Cascade;

/// <summary>
/// The publishers each relay link of a class carries (<see cref="MediaTopologyRules.Feeds"/>), by edge node:
/// <see cref="Forward"/> from the origin to the edge, <see cref="Reverse"/> from the edge back to the origin (only edges
/// with something to send back).
/// </summary>
public sealed record CascadeFeeds(IReadOnlyDictionary<string, IReadOnlyList<string>> Forward, IReadOnlyDictionary<string, IReadOnlyList<string>> Reverse);
