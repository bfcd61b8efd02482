namespace LiveClassroom.Server.Research.Contracts;

public sealed record CriterionInput(string? Key, string? Name, string? Description, double? Weight);
