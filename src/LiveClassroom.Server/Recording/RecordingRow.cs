namespace LiveClassroom.Server.Recording;

/// <summary>A <c>recordings</c> row.</summary>
public sealed class RecordingRow
{
    public Guid Id { get; init; }
    public string RoomId { get; init; } = "";
    public Guid SchoolId { get; init; }
    public Guid? TeacherId { get; init; }
    public string Status { get; init; } = "";
    public string NodeId { get; init; } = "";
    public int? FfmpegPid { get; init; }
    public DateTime StartedAt { get; init; }
    public DateTime? EndedAt { get; init; }
    public double PausedSeconds { get; init; }
    public double? DurationSeconds { get; init; }
    public bool Playable { get; init; }
    public bool HasVideo { get; init; }
    public int Parts { get; init; }
    public int Incidents { get; init; }
    public string? FailureReason { get; init; }
    public bool Recovered { get; init; }
    public string Metadata { get; init; } = "{}";
    public DateTime LeaseUntil { get; init; }
    public DateTime OwnedSince { get; init; }
    public int Continuations { get; init; }
}
