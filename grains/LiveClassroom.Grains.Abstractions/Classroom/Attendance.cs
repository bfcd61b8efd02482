namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// Attendance of one classroom: when someone of it first joined and last left, minutes with at least one of its
/// participants connected (up to now for a classroom still present), and how many times it came back after a drop or leave.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.Attendance")]
public sealed record Attendance(
    DateTimeOffset? FirstJoinedAt,
    DateTimeOffset? LastLeftAt,
    double MinutesPresent,
    int ReconnectCount);
