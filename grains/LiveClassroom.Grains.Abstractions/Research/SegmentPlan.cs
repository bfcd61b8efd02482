namespace LiveClassroom.Grains.Research;

/// <summary>One planned agenda item: <paramref name="Kind"/> is lesson_talk, observe, review, summary, co_prepare or free.</summary>
[GenerateSerializer, Immutable, Alias("lc.SegmentPlan")]
public sealed record SegmentPlan(string Kind, string Title, int PlannedSeconds)
{
    public static IReadOnlyList<string> Kinds { get; } = ["lesson_talk", "observe", "review", "summary", "co_prepare", "free"];
}
