namespace LiveClassroom.Server.Research;

/// <summary>One scored dimension; <see cref="Key"/> is stable within a rubric, <see cref="Weight"/> is relative (> 0).</summary>
public sealed record RubricCriterion(string Key, string Name, string Description, double Weight);
