using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Grains.Tests.Doubles;

namespace LiveClassroom.Grains.Tests.Pairing;

public sealed class PairingGrainTests
{
    private const string PairingId = "pairing-1";

    private static readonly RoomCaller Admin = new("admin-1", "县管理员", RoomRole.Admin);

    private static readonly PairingDefinition Definition = new(
        "城区一小—三所村小 四年级数学",
        new ClassroomRef(ClassScenario.LeadClassroomId, "城区一小 301"),
        new PersonRef("teacher-1", "王老师"),
        [new ClassroomRef("rural-1", "村小1"), new ClassroomRef("rural-2", "村小2"), new ClassroomRef("rural-3", "村小3")],
        "数学",
        "四年级",
        "人教版");

    // Autumn term 2026: Mon 08:00 + 10:00, Wed 09:00, Fri 14:30; 国庆 Oct 1–7 off;
    // make-up days Sun Sep 27 (runs Wednesday) and Sat Oct 10 (runs Friday).
    private static readonly TermTimetable Autumn2026 = new(
        "2026秋季学期",
        new DateOnly(2026, 9, 1),
        new DateOnly(2027, 1, 15),
        [
            new WeeklySlot(DayOfWeek.Monday, new TimeOnly(8, 0), 40, "数学"),
            new WeeklySlot(DayOfWeek.Monday, new TimeOnly(10, 0), 40, "数学"),
            new WeeklySlot(DayOfWeek.Wednesday, new TimeOnly(9, 0), 40, "数学"),
            new WeeklySlot(DayOfWeek.Friday, new TimeOnly(14, 30), 40, "数学"),
        ],
        [new ExcludedDates(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 7), "国庆节")],
        [new MakeUpDay(new DateOnly(2026, 9, 27), DayOfWeek.Wednesday), new MakeUpDay(new DateOnly(2026, 10, 10), DayOfWeek.Friday)]);

    private static async Task<IRemoteClassPairingGrain> PairingAsync(TestGrainHost host)
    {
        var pairing = host.GetGrain<IRemoteClassPairingGrain>(PairingId);
        await pairing.DefineAsync(Admin, Definition);
        await pairing.SetTimetableAsync(Admin, Autumn2026);
        return pairing;
    }

    [Fact]
    public async Task GetLessons_WholeTermWithNationalDayAndMakeUpDays_GeneratesExactlyTheTermsLessons()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var pairing = await PairingAsync(host);

        var lessons = await pairing.GetLessonsAsync(ClassScenario.Device(1));

        // 19 Mondays × 2 + 20 Wednesdays + 20 Fridays = 78; 国庆 removes Fri 2, Mon 5 (×2), Wed 7 → 74; two make-up days → 76.
        Assert.Equal(76, lessons.Count);
        Assert.DoesNotContain(lessons, l => l.Date >= new DateOnly(2026, 10, 1) && l.Date <= new DateOnly(2026, 10, 7));
        Assert.Equal(lessons.OrderBy(l => l.Date).ThenBy(l => l.Start), lessons);
        Assert.Equal(lessons.Count, lessons.Select(l => l.LessonId).Distinct().Count());
        Assert.Equal(new DateOnly(2026, 9, 2), lessons[0].Date); // the term starts on a Tuesday
        Assert.Equal(new Lesson("20270115-1430", new DateOnly(2027, 1, 15), new TimeOnly(14, 30), 40, "数学", false, null, null), lessons[^1]);
        var sep27 = Assert.Single(lessons, l => l.Date == new DateOnly(2026, 9, 27));
        Assert.Equal(new TimeOnly(9, 0), sep27.Start);
        Assert.True(sep27.IsMakeUpDay);
        var oct10 = Assert.Single(lessons, l => l.Date == new DateOnly(2026, 10, 10));
        Assert.Equal(new TimeOnly(14, 30), oct10.Start);
        Assert.Equal(2, lessons.Count(l => l.Date == new DateOnly(2026, 10, 12)));
        Assert.DoesNotContain(lessons, l => l.Date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && !l.IsMakeUpDay);
        // Sep 1–20: Wed 2, Fri 4, Mon 7 (×2), Wed 9, Fri 11, Mon 14 (×2), Wed 16, Fri 18.
        Assert.Equal(10, (await pairing.GetLessonsAsync(Admin, new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 20))).Count);
    }

    [Fact]
    public async Task SetTimetable_Invalid_RefusedAndOldTimetableKept()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var pairing = await PairingAsync(host);

        var backwards = await ClassScenario.RefusedAsync(() => pairing.SetTimetableAsync(Admin, Autumn2026 with { EndDate = new DateOnly(2026, 8, 1) }));
        var weekendMakeUp = await ClassScenario.RefusedAsync(() => pairing.SetTimetableAsync(Admin,
            Autumn2026 with { MakeUpDays = [new MakeUpDay(new DateOnly(2026, 9, 27), DayOfWeek.Sunday)] }));
        var byClassroom = await ClassScenario.RefusedAsync(() => pairing.SetTimetableAsync(ClassScenario.Device(1), Autumn2026));

        Assert.Equal(RoomErrorCode.InvalidInput, backwards.Code);
        Assert.Equal(RoomErrorCode.InvalidInput, weekendMakeUp.Code);
        Assert.Equal(RoomErrorCode.Forbidden, byClassroom.Code);
        Assert.Equal(76, (await pairing.GetSnapshotAsync(Admin)).LessonCount);
    }

    [Fact]
    public async Task SetLessonChapter_ByLeadTeacher_UpdatesTheOneCourseProgress()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var pairing = await PairingAsync(host);

        await pairing.SetLessonChapterAsync(ClassScenario.Lead, "20260907-1000", "第二单元 多位数乘一位数");
        await pairing.SetLessonChapterAsync(ClassScenario.Lead, "20260902-0900", "第一单元 分数的初步认识");
        var refused = await ClassScenario.RefusedAsync(() => pairing.SetLessonChapterAsync(ClassScenario.Assistant(1), "20260902-0900", "乱改"));
        var unknown = await ClassScenario.RefusedAsync(() => pairing.SetLessonChapterAsync(ClassScenario.Lead, "20261001-0900", "国庆"));

        var progress = (await pairing.GetSnapshotAsync(ClassScenario.Device(2))).Progress!;
        Assert.Equal("第二单元 多位数乘一位数", progress.CurrentChapter);
        Assert.Equal("人教版", progress.TextbookEdition);
        Assert.Equal(2, progress.LessonsWithChapter);
        Assert.Equal(RoomErrorCode.Forbidden, refused.Code);
        Assert.Equal(RoomErrorCode.NotFound, unknown.Code);
        var lessons = await pairing.GetLessonsAsync(ClassScenario.Lead, new DateOnly(2026, 9, 2), new DateOnly(2026, 9, 2));
        Assert.Equal("第一单元 分数的初步认识", Assert.Single(lessons).Chapter);
    }

    [Fact]
    public async Task RateLesson_RuralClassrooms_AggregatedPerLessonAndTerm()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var pairing = await PairingAsync(host);
        host.Time.Advance(TimeSpan.FromDays(10));

        await pairing.RateLessonAsync(ClassScenario.Assistant(1), "20260902-0900", 4, "节奏好");
        await pairing.RateLessonAsync(ClassScenario.Assistant(2), "20260902-0900", 5, null);
        await pairing.RateLessonAsync(ClassScenario.Assistant(1), "20260902-0900", 3, "改为3分"); // replaces rural-1's rating
        await pairing.RateLessonAsync(ClassScenario.Assistant(3), "20260907-0800", 2, "声音小");
        var byLead = await ClassScenario.RefusedAsync(() => pairing.RateLessonAsync(ClassScenario.Lead, "20260902-0900", 5, null));
        var future = await ClassScenario.RefusedAsync(() => pairing.RateLessonAsync(ClassScenario.Assistant(1), "20270115-1430", 5, null));
        var outOfRange = await ClassScenario.RefusedAsync(() => pairing.RateLessonAsync(ClassScenario.Assistant(1), "20260907-0800", 6, null));

        var summary = await pairing.GetEvaluationAsync(Admin);
        Assert.Equal("2026秋季学期", summary.TermName);
        Assert.Equal(2, summary.LessonsRated);
        Assert.Equal(3, summary.RatingCount);
        Assert.Equal(3.33, summary.TermAverage);
        var first = summary.Lessons.Single(l => l.LessonId == "20260902-0900");
        Assert.Equal(2, first.Count);
        Assert.Equal(4.0, first.Average);
        Assert.Equal(RoomErrorCode.Forbidden, byLead.Code);
        Assert.Equal(RoomErrorCode.InvalidState, future.Code);
        Assert.Equal(RoomErrorCode.InvalidInput, outOfRange.Code);
    }

    [Fact]
    public async Task OpenLesson_ByLeadTeacher_OpensOneLiveClassWithThePairingsClassrooms()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var pairing = await PairingAsync(host);

        var classId = await pairing.OpenLessonAsync(ClassScenario.Lead, "20260902-0900");
        var again = await pairing.OpenLessonAsync(ClassScenario.Lead, "20260902-0900");
        var byClassroom = await ClassScenario.RefusedAsync(() => pairing.OpenLessonAsync(ClassScenario.Device(1), "20260907-0800"));

        Assert.Equal(classId, again);
        Assert.Equal("pairing-1.20260902-0900", classId);
        Assert.Equal(RoomErrorCode.Forbidden, byClassroom.Code);
        var room = host.GetGrain<IClassroomGrain>(classId);
        var joined = await room.JoinAsync(ClassScenario.Device(3));
        Assert.Equal(ClassState.Live, joined.State);
        Assert.Equal(PairingId, joined.PairingId);
        Assert.Equal("teacher-1", joined.LeadTeacherId);
        Assert.Equal([ClassScenario.LeadClassroomId, "rural-1", "rural-2", "rural-3"], joined.Classrooms.Select(c => c.ClassroomId));
        Assert.Equal(classId, (await pairing.GetLessonsAsync(Admin, new DateOnly(2026, 9, 2), new DateOnly(2026, 9, 2)))[0].ClassId);
    }

    [Fact]
    public async Task OpenLesson_AfterActivationsDropped_ReturnsSameLiveClass()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var pairing = await PairingAsync(host);
        var classId = await pairing.OpenLessonAsync(ClassScenario.Lead, "20260902-0900");
        await host.RestartAsync();
        await host.GetGrain<IClassroomGrain>(classId).JoinAsync(ClassScenario.Device(1));

        var again = await pairing.OpenLessonAsync(ClassScenario.Lead, "20260902-0900");

        Assert.Equal(classId, again);
        var snapshot = await host.GetGrain<IClassroomGrain>(classId).GetSnapshotAsync(ClassScenario.Lead);
        Assert.Equal(ClassState.Live, snapshot.State);
        Assert.Contains(snapshot.Participants, p => p.PrincipalId == "device-1");
    }

    [Fact]
    public async Task Define_ByAdmin_ListsPairing_AndNonAdminsAreRefused()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var pairing = await PairingAsync(host);

        var byLead = await ClassScenario.RefusedAsync(() => pairing.DefineAsync(ClassScenario.Lead, Definition with { Name = "改名" }));
        var stranger = await ClassScenario.RefusedAsync(() => pairing.GetSnapshotAsync(new RoomCaller("device-9", "外校", RoomRole.Classroom, "rural-9")));
        var duplicate = await ClassScenario.RefusedAsync(() => pairing.DefineAsync(Admin, Definition with { RuralClassrooms = [new ClassroomRef("rural-1", "a"), new ClassroomRef("rural-1", "b")] }));

        Assert.Equal(RoomErrorCode.Forbidden, byLead.Code);
        Assert.Equal(RoomErrorCode.Forbidden, stranger.Code);
        Assert.Equal(RoomErrorCode.InvalidInput, duplicate.Code);
        var listing = Assert.Single(host.Pairings.Listings);
        Assert.Equal(Definition.Name, listing.Name);
        Assert.Equal("2026秋季学期", listing.TermName);
        Assert.Equal(3, listing.RuralClassrooms.Count);
    }
}
