namespace LiveClassroom.Server.Library;

/// <summary>A <c>resources</c> row.</summary>
public sealed class ResourceRow
{
    public Guid Id { get; init; }
    public Guid RecordingId { get; init; }
    public Guid SchoolId { get; init; }
    public Guid? AuthorId { get; init; }
    public string Status { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Stage { get; init; }
    public string? Grade { get; init; }
    public string? Subject { get; init; }
    public string? TextbookEdition { get; init; }
    public string? Chapter { get; init; }
    public string? TeacherName { get; init; }
    public string? SchoolName { get; init; }
    public double DurationSeconds { get; init; }
    public string? LastReason { get; init; }
    public DateTime? SubmittedAt { get; init; }
    public DateTime? PublishedAt { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}
