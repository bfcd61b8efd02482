namespace LiveClassroom.Server.Research.Contracts;

/// <summary>PUT …/rubric: the whole rubric, or <see cref="TemplateId"/> to copy a template afresh.</summary>
public sealed record RubricInput(Guid? TemplateId, string? Name, int? ScaleMin, int? ScaleMax, IReadOnlyList<CriterionInput>? Criteria);
