namespace LiveClassroom.Grains.Research;

/// <summary>The running agenda item; <see cref="RemainingSeconds"/> is negative once it overruns.</summary>
[GenerateSerializer, Immutable, Alias("lc.SegmentView")]
public sealed record SegmentView(
    int Index,
    string Kind,
    string Title,
    int PlannedSeconds,
    DateTimeOffset StartedAt,
    double ElapsedSeconds,
    double RemainingSeconds,
    bool Overrun);
