namespace LiveClassroom.Server.Research;

/// <summary>One saved full text of a plan; <see cref="Body"/> is null in version lists.</summary>
public sealed record LessonPlanVersion(int Version, string? Body, string Summary, Guid AuthorId, string AuthorName, DateTimeOffset CreatedAt);
