namespace LiveClassroom.Grains.Pairing;

/// <summary>A make-up working day (调休): <paramref name="Date"/> (usually a weekend day) runs <paramref name="RunsAs"/>'s timetable.</summary>
[GenerateSerializer, Immutable, Alias("lc.MakeUpDay")]
public sealed record MakeUpDay(DateOnly Date, DayOfWeek RunsAs);
