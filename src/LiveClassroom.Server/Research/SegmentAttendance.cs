namespace LiveClassroom.Server.Research;

/// <summary>How much of one run segment a person was present for.</summary>
public sealed record SegmentAttendance(int Position, string Kind, string Title, double SegmentSeconds, double AttendedSeconds);
