using System.Globalization;
using LiveClassroom.Server.Tests.Hubs;

namespace LiveClassroom.Server.Tests.Apis.Rooms;

/// <summary>Request bodies of the room APIs shared by the API and placement tests.</summary>
internal static class RoomApiRequests
{
    /// <summary>Today in school time (China Standard Time), as the lesson APIs count days.</summary>
    public static string Today => DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime)
        .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The demo lead classroom and teacher with the first <paramref name="ruralCount"/> rural classrooms.</summary>
    public static object Pairing(DemoOrg org, int ruralCount, string subject = "语文") => new
    {
        name = $"三年级语文 1+{ruralCount}",
        leadClassroomId = org.ClassroomOf(DemoOrg.LeadSchool),
        leadTeacherId = org["teacher"].Id,
        ruralClassroomIds = DemoOrg.RuralSchools.Take(ruralCount).Select(org.ClassroomOf).ToArray(),
        subject,
        grade = "三年级",
        textbookEdition = "部编版",
    };

    /// <summary>A lesson at midnight (school time) every day of the week, so "today" always has one that has started.</summary>
    public static object Timetable(int fromDay = -30, int toDay = 30) => new
    {
        termName = "测试学期",
        startDate = DateTime.UtcNow.AddDays(fromDay).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        endDate = DateTime.UtcNow.AddDays(toDay).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        slots = Enum.GetNames<DayOfWeek>().Skip(1).Append("Sunday")
            .Select(d => new { day = d, start = "00:00:00", durationMinutes = 40, subject = "语文" }).ToArray(),
        holidays = Array.Empty<object>(),
        makeUpDays = Array.Empty<object>(),
    };
}
