namespace LiveClassroom.Server.Research;

/// <summary>A remark pinned to a moment of a lesson (seconds from the lesson's start).</summary>
public sealed record CommentRecord(
    Guid Id, Guid LessonId, Guid AuthorId, string AuthorName, int OffsetSeconds, string? CriterionKey, string Body, DateTimeOffset CreatedAt);
