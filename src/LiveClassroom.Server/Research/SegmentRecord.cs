namespace LiveClassroom.Server.Research;

/// <summary>A planned agenda segment and, once run, when it actually started and ended.</summary>
public sealed record SegmentRecord(int Position, string Kind, string Title, int PlannedSeconds, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt);
