namespace LiveClassroom.Server.Research.Contracts;

/// <summary>A revision of the full text; <see cref="BaseVersion"/> is the version it was edited from.</summary>
public sealed record LessonPlanVersionRequest(string? Body, string? Summary, int? BaseVersion);
