namespace LiveClassroom.Server.Jobs;

/// <summary>A <c>jobs</c> row.</summary>
public sealed class JobRow
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string DedupeKey { get; init; } = "";
    public string Payload { get; init; } = "{}";
    public Guid? OrganisationId { get; init; }
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public int MaxAttempts { get; init; }
    public DateTime NextRunAt { get; init; }
    public string? LockedBy { get; init; }
    public DateTime? LockedUntil { get; init; }
    public int Progress { get; init; }
    public string? LastError { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}
