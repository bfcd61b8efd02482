using System.Net;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>
/// Issue 12 item 5: times written in the users' own zone (+08:00) are the same instants as UTC — accepted, stored and
/// compared as such — instead of a 500 from the database driver.
/// </summary>
public sealed class TimeOffsetTests(ResearchServer server) : IClassFixture<ResearchServer>
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private static string Query(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));

    private async Task<(HttpClient Researcher, DateTimeOffset Start, Guid Id)> ScheduleAsync()
    {
        var (researcher, _) = await server.ClientAsync("researcher");
        var start = new DateTimeOffset(2031, 3, 2 + Random.Shared.Next(20), 9, 30, 0, Beijing);
        var created = (await Api.PostAsync(researcher, "/api/research/sessions", new
        {
            title = "东八区时间",
            subject = "语文",
            stage = "primary",
            scheduledStart = start,
            segments = new[] { new { kind = "review", title = "评课", plannedMinutes = 30 } },
        })).Expect(HttpStatusCode.Created);
        return (researcher, start, created.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task ScheduleSession_StartWithPlus0800_CreatedAtTheSameInstantInUtc()
    {
        var (researcher, start, id) = await ScheduleAsync();

        var stored = (await Api.GetAsync(researcher, $"/api/research/sessions/{id}")).Expect(HttpStatusCode.OK).GetProperty("scheduledStart").GetDateTimeOffset();

        Assert.Equal(start.UtcDateTime, stored.UtcDateTime);
        Assert.Equal(TimeSpan.Zero, stored.Offset);
    }

    [Fact]
    public async Task ListSessions_FromWithPlus0800_ComparesInstants()
    {
        var (researcher, start, id) = await ScheduleAsync();

        var before = (await Api.GetAsync(researcher, $"/api/research/sessions?from={Query(start.AddMinutes(-1))}")).Expect(HttpStatusCode.OK);
        var after = (await Api.GetAsync(researcher, $"/api/research/sessions?from={Query(start.AddMinutes(1))}")).Expect(HttpStatusCode.OK);

        Assert.Contains(before.EnumerateArray(), s => s.GetProperty("id").GetGuid() == id);
        Assert.DoesNotContain(after.EnumerateArray(), s => s.GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task Participation_FromAndToWithPlus0800_RangeEchoedInUtc()
    {
        var (teacher, _) = await server.ClientAsync("teacher");
        var from = new DateTimeOffset(2031, 1, 1, 0, 0, 0, Beijing);

        var body = (await Api.GetAsync(teacher, $"/api/research/participation?from={Query(from)}&to={Query(from.AddMonths(6))}")).Expect(HttpStatusCode.OK);

        Assert.Equal(from.UtcDateTime, body.GetProperty("from").GetDateTimeOffset().UtcDateTime);
        Assert.Equal(0, body.GetProperty("creditedMinutes").GetInt32());
    }

    [Fact]
    public async Task CreateLessonPlan_PrepareAtWithPlus0800_CreatedAtTheSameInstant()
    {
        var (teacher, _) = await server.ClientAsync("teacher");
        var prepareAt = new DateTimeOffset(2031, 3, 5, 14, 0, 0, Beijing);

        var plan = (await Api.PostAsync(teacher, "/api/research/lesson-plans", new { subject = "数学", stage = "primary", chapter = "分数", prepareAt }))
            .Expect(HttpStatusCode.Created).GetProperty("plan");

        Assert.Equal(prepareAt.UtcDateTime, plan.GetProperty("prepareAt").GetDateTimeOffset().UtcDateTime);
    }

    [Fact]
    public async Task ScheduleSession_StartNotATime_BadJsonNot500()
    {
        var (researcher, _) = await server.ClientAsync("researcher");

        var code = (await Api.PostAsync(researcher, "/api/research/sessions", new
        {
            title = "坏时间",
            subject = "语文",
            stage = "primary",
            scheduledStart = "下周一上午",
            segments = new[] { new { kind = "review", plannedMinutes = 30 } },
        })).ExpectError(HttpStatusCode.BadRequest);

        Assert.Equal("bad_json", code);
    }
}
