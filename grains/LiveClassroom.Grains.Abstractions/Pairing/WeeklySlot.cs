namespace LiveClassroom.Grains.Pairing;

/// <summary>A lesson every <paramref name="Day"/> at <paramref name="Start"/> (local school time) for <paramref name="DurationMinutes"/>.</summary>
[GenerateSerializer, Immutable, Alias("lc.WeeklySlot")]
public sealed record WeeklySlot(DayOfWeek Day, TimeOnly Start, int DurationMinutes, string Subject);
