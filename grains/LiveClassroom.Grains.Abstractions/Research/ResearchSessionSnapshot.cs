namespace LiveClassroom.Grains.Research;

/// <summary>A research session's state; <see cref="Present"/> are the principal ids currently joined.</summary>
[GenerateSerializer, Immutable, Alias("lc.ResearchSessionSnapshot")]
public sealed record ResearchSessionSnapshot(
    string SessionId,
    ResearchSessionState State,
    ResearchSessionDefinition? Definition,
    IReadOnlyList<string> Present,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    long Sequence);
