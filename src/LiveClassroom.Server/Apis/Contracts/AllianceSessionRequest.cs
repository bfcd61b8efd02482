namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A research session the alliance schedules for its members (one free segment of the given length).</summary>
public sealed record AllianceSessionRequest(string? Title, string? Subject, string? Stage, DateTimeOffset? ScheduledStart, int? DurationMinutes);
