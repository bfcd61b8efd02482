namespace LiveClassroom.Grains.Classroom;

/// <summary>One classroom of a class with its attendance bookkeeping (present = at least one of its participants connected).</summary>
internal sealed class ClassroomRecord
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string? SchoolName { get; set; }

    public bool IsLead { get; set; }

    public int Tile { get; set; }

    public bool MutedByLead { get; set; }

    public DateTimeOffset? FirstJoinedAt { get; set; }

    public DateTimeOffset? LastLeftAt { get; set; }

    /// <summary>Set while present: when this stretch of presence began.</summary>
    public DateTimeOffset? PresentSince { get; set; }

    /// <summary>Minutes of earlier, finished stretches of presence.</summary>
    public double MinutesBefore { get; set; }

    public int ReconnectCount { get; set; }
}
