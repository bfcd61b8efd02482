using System.Globalization;

namespace LiveClassroom.Grains.Pairing;

/// <summary>
/// Expands a term timetable into concrete lessons: every date of the term runs the weekly slots of its weekday,
/// except holidays; a make-up working day (调休) runs the slots of the weekday it stands in for, even inside a
/// holiday range (the state calendar lists make-up days explicitly, so they win).
/// </summary>
internal static class LessonSchedule
{
    public const int MaxTermDays = 366;
    public const int MaxSlots = 60;

    /// <summary>School time is China Standard Time (UTC+8, no daylight saving).</summary>
    public static readonly TimeSpan SchoolOffset = TimeSpan.FromHours(8);

    public static string LessonId(DateOnly date, TimeOnly start) =>
        date.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + start.ToString("HHmm", CultureInfo.InvariantCulture);

    public static DateTimeOffset StartsAt(DateOnly date, TimeOnly start) =>
        new(date.ToDateTime(start), SchoolOffset);

    public static List<(DateOnly Date, WeeklySlot Slot, bool MakeUp)> Expand(TermTimetable t)
    {
        var makeUps = t.MakeUpDays.ToDictionary(m => m.Date, m => m.RunsAs);
        var result = new List<(DateOnly, WeeklySlot, bool)>();
        for (var date = t.StartDate; date <= t.EndDate; date = date.AddDays(1))
        {
            var isMakeUp = makeUps.TryGetValue(date, out var runsAs);
            if (!isMakeUp && t.Holidays.Any(h => date >= h.From && date <= h.To))
            {
                continue;
            }
            var day = isMakeUp ? runsAs : date.DayOfWeek;
            foreach (var slot in t.Slots.Where(s => s.Day == day).OrderBy(s => s.Start))
            {
                result.Add((date, slot, isMakeUp));
            }
        }
        return result;
    }

    /// <summary>Checks a timetable; returns the reason it is refused, or null.</summary>
    public static string? Problem(TermTimetable? t)
    {
        if (t is null || t.Slots is null || t.Holidays is null || t.MakeUpDays is null)
        {
            return "A timetable needs a term, weekly slots, holidays and make-up days (lists may be empty).";
        }
        if (string.IsNullOrWhiteSpace(t.TermName) || t.TermName.Length > 100)
        {
            return "A term name has 1 to 100 characters.";
        }
        if (t.EndDate < t.StartDate || t.EndDate.DayNumber - t.StartDate.DayNumber >= MaxTermDays)
        {
            return $"A term ends on or after its start and lasts at most {MaxTermDays} days.";
        }
        if (t.Slots.Count > MaxSlots || t.Slots.Any(s => s is null || s.DurationMinutes is < 10 or > 240 || string.IsNullOrWhiteSpace(s.Subject)))
        {
            return $"At most {MaxSlots} weekly slots, each 10 to 240 minutes with a subject.";
        }
        if (t.Slots.GroupBy(s => (s.Day, s.Start)).Any(g => g.Count() > 1))
        {
            return "Two weekly slots start at the same time on the same day.";
        }
        if (t.Holidays.Any(h => h is null || h.To < h.From))
        {
            return "A holiday range ends on or after its start.";
        }
        if (t.MakeUpDays.Any(m => m is null) || t.MakeUpDays.GroupBy(m => m.Date).Any(g => g.Count() > 1))
        {
            return "A make-up day is listed twice.";
        }
        if (t.MakeUpDays.Any(m => m.Date < t.StartDate || m.Date > t.EndDate || m.RunsAs is DayOfWeek.Saturday or DayOfWeek.Sunday))
        {
            return "A make-up day lies inside the term and runs a weekday's timetable.";
        }
        return null;
    }
}
