namespace LiveClassroom.Server.Research;

/// <summary>A session's scoring scheme: every criterion is scored on the integer-or-half scale [ScaleMin, ScaleMax].</summary>
public sealed record Rubric(string Name, int ScaleMin, int ScaleMax, IReadOnlyList<RubricCriterion> Criteria);
