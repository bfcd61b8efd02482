namespace LiveClassroom.Server.Research;

/// <summary>
/// A lesson's aggregated scores. <see cref="WeightedTotal"/> is out of 100: Σ wᵢ·(meanᵢ / scaleMax) / Σ wᵢ × 100 over
/// the criteria somebody scored; <see cref="Complete"/> says whether every criterion was scored.
/// </summary>
public sealed record LessonScores(IReadOnlyList<CriterionStats> Criteria, double? WeightedTotal, bool Complete, int SheetCount);
