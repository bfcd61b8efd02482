namespace LiveClassroom.Server.Research.Contracts;

/// <summary>A comment on a version, optionally on one paragraph (0-based, paragraphs separated by blank lines).</summary>
public sealed record LessonPlanCommentRequest(int? Version, int? Paragraph, string? Body);
