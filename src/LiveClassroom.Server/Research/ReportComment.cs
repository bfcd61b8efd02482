namespace LiveClassroom.Server.Research;

/// <summary>A comment in a report: <see cref="Link"/> opens the lesson's recording at the moment (the session's watch page) (null while the lesson has no recording).</summary>
public sealed record ReportComment(
    Guid Id, string AuthorName, int OffsetSeconds, string Timecode, string? CriterionKey, string Body, DateTimeOffset CreatedAt, string? Link);
