namespace LiveClassroom.Server.Research;

/// <summary>A comment anchored to a version and optionally a paragraph (0-based; paragraphs are separated by blank lines).</summary>
public sealed record LessonPlanComment(Guid Id, int Version, int? Paragraph, Guid AuthorId, string AuthorName, string Body, DateTimeOffset CreatedAt);
