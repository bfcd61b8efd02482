namespace LiveClassroom.Grains.Pairing;

/// <summary>
/// One term's shared timetable: weekly slots between <paramref name="StartDate"/> and <paramref name="EndDate"/>
/// (inclusive), minus holidays, plus make-up working days (调休) that run another weekday's slots.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.TermTimetable")]
public sealed record TermTimetable(
    string TermName,
    DateOnly StartDate,
    DateOnly EndDate,
    IReadOnlyList<WeeklySlot> Slots,
    IReadOnlyList<ExcludedDates> Holidays,
    IReadOnlyList<MakeUpDay> MakeUpDays);
