namespace LiveClassroom.Server.ContinuingEducation;

/// <summary>
/// The fixed rules of 继续教育学时 (docs/API-PLATFORM.md, "Continuing-education hours"): school years run in the
/// school time zone (+08:00), 1 学时 is 45 minutes, and the fixed credit of each evidence kind without a duration.
/// </summary>
public static class CeRules
{
    public static readonly TimeSpan SchoolOffset = TimeSpan.FromHours(8);

    public const int MinutesPerHour = 45;

    public const int DefaultTotalHours = 36;

    public const int DefaultRequiredHours = 18;

    /// <summary>A lesson plan co-prepared (a version written by a member or the main preparer): 2 学时.</summary>
    public const int LessonPlanMinutes = 2 * MinutesPerHour;

    /// <summary>An observation report (a score sheet covering every criterion of an ended session's rubric): 1 学时.</summary>
    public const int ObservationMinutes = MinutesPerHour;

    /// <summary>A library lesson counts once a viewing reached this share of its length.</summary>
    public const double LibraryCompletion = 0.95;

    public const string SchoolTraining = "school_training";

    public static IReadOnlyList<string> Kinds { get; } =
        ["live_taught", "live_assisted", "research", "lesson_plan", "observation", "library", SchoolTraining];

    /// <summary>[1 January 00:00, next 1 January 00:00) of <paramref name="year"/> at +08:00.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Window(int year) =>
        (new DateTimeOffset(year, 1, 1, 0, 0, 0, SchoolOffset), new DateTimeOffset(year + 1, 1, 1, 0, 0, 0, SchoolOffset));

    public static DateOnly SchoolDate(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(SchoolOffset).DateTime);

    public static int SchoolYear(DateTimeOffset at) => at.ToOffset(SchoolOffset).Year;

    /// <summary>Course choice for a year is open until 31 December 24:00 of that year, school time.</summary>
    public static bool RegistrationOpen(int year, DateTimeOffset now) => now < Window(year).To;

    public static double Hours(int minutes) => Math.Round(minutes / (double)MinutesPerHour, 1);

    /// <summary>
    /// The hours a teacher should have by <paramref name="now"/>: the requirement pro rata of the year elapsed
    /// (all of it once the year is over). Someone under it is behind.
    /// </summary>
    public static double ExpectedByNow(int year, int totalHours, DateTimeOffset now)
    {
        var (from, to) = Window(year);
        if (now >= to)
        {
            return totalHours;
        }
        if (now <= from)
        {
            return 0;
        }
        return Math.Round(totalHours * (now - from).TotalSeconds / (to - from).TotalSeconds, 1);
    }
}
