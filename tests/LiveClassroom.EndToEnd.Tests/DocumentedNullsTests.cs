using System.Text.Json;
using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>
/// The web client is total over what the API documents (docs/API-ROOMS.md): each documented null or empty answer is
/// served to the real pages in Chromium (the browser's request answered with the documented body) and the page must
/// show what it can, with no error and no false 网络已断开 (issue #20 item 5: `lesson: null` threw "Invalid time value").
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DocumentedNullsTests(EndToEndFixture fx)
{
    /// <summary>Answers GET /api/me/lessons with <paramref name="rows"/>(date asked for), counting the answers.</summary>
    private static async Task<Func<int>> ServeMyLessonsAsync(IPage page, Func<string, object[]> rows)
    {
        var served = 0;
        await page.RouteAsync("**/api/me/lessons?**", async route =>
        {
            // The page asks for its local date (api/lessons.ts localDate); the rows are for that day.
            var date = System.Text.RegularExpressions.Regex.Match(route.Request.Url, @"date=(\d{4}-\d{2}-\d{2})").Groups[1].Value;
            await route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = JsonSerializer.Serialize(rows(date)) });
            Interlocked.Increment(ref served);
        });
        return () => Volatile.Read(ref served);
    }

    /// <summary>A pairing hosted by another node right now: documented as lesson null, classState Elsewhere, ownerUrl.</summary>
    private object Elsewhere(string role) => new
    {
        pairingId = Guid.NewGuid().ToString(),
        pairingName = "远端结对",
        role,
        classroomId = Guid.NewGuid().ToString(),
        lesson = (object?)null,
        classState = "Elsewhere",
        ownerUrl = fx.Server.BaseUrl.ToString().TrimEnd('/'),
    };

    /// <summary>A lesson not opened yet: chapter and classId documented as null.</summary>
    private static object NotOpened(string date, string start, string subject, string role) => new
    {
        pairingId = Guid.NewGuid().ToString(),
        pairingName = "三年级语文 1+3",
        role,
        classroomId = Guid.NewGuid().ToString(),
        lesson = new { lessonId = $"{date.Replace("-", "")}-{start.Replace(":", "")}", date, start = $"{start}:00", durationMinutes = 40, subject, isMakeUpDay = false, chapter = (string?)null, classId = (string?)null },
        classState = "NotOpened",
        ownerUrl = (string?)null,
    };

    [Fact]
    public async Task Timetable_PairingHostedElsewhereWithLessonNull_OtherLessonsShownWithoutError()
    {
        await using var browser = await fx.LaunchAsync();
        var page = browser.Page;
        var served = await ServeMyLessonsAsync(page, date => [Elsewhere("Lead"), NotOpened(date, "23:50", "语文", "Lead")]);

        await browser.LoginAsync("teacher");

        var lessons = page.GetByTestId("lesson");
        await Expect(lessons).ToHaveCountAsync(1);
        await Expect(lessons).ToContainTextAsync("语文");
        await Expect(lessons.GetByRole(AriaRole.Button, new() { Name = "开课" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Invalid time value")).ToHaveCountAsync(0);
        await Expect(page.Locator(".notice.error")).ToHaveCountAsync(0);
        Assert.True(served() >= 1);
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Timetable_NoLessons_EmptyListShowsNoLessonsMessage()
    {
        await using var browser = await fx.LaunchAsync();
        var page = browser.Page;
        await ServeMyLessonsAsync(page, _ => []);

        await browser.LoginAsync("teacher");

        await Expect(page.GetByText("当天没有课程。")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("lesson")).ToHaveCountAsync(0);
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Projector_OnlyPairingHostedElsewhere_WaitsForNextLessonWithoutOfflineBanner()
    {
        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), 1);
        var token = await fx.Api.PairDeviceAsync(scenario.RuralClassrooms[0].Id, "投影机");
        await using var browser = await fx.LaunchAsync();
        var page = browser.Page;
        var served = await ServeMyLessonsAsync(page, date => [Elsewhere("Classroom"), NotOpened(date, "23:55", "数学", "Classroom")]);

        await ClassPages.StartProjectorAsync(browser, token);

        await Expect(page.GetByTestId("waiting")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("next-lesson")).ToContainTextAsync("23:55");
        await Expect(page.GetByTestId("next-lesson")).ToContainTextAsync("数学");
        Assert.True(served() >= 1);
        await Expect(page.GetByText("网络已断开，正在重新连接…")).ToHaveCountAsync(0);
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task LiveRooms_ClassHostedElsewhere_ListedByPairingWithOwnerAndNullClassId()
    {
        await using var browser = await fx.LaunchAsync();
        var page = browser.Page;
        // Documented for a class on another node: only its ids and ownerUrl; classId null when the whole pairing is there.
        var room = new
        {
            classId = (string?)null,
            pairingId = Guid.NewGuid().ToString(),
            pairingName = "远端结对",
            title = (string?)null,
            openedAt = (string?)null,
            classrooms = Array.Empty<object>(),
            participants = Array.Empty<object>(),
            ownerUrl = "https://node-b.school.test:5443",
        };
        await page.RouteAsync("**/api/rooms/live", route => route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = JsonSerializer.Serialize(new[] { room }) }));
        await browser.LoginAsync("admin");

        await page.GotoAsync("/admin/live");

        var rooms = page.GetByTestId("live-rooms");
        await Expect(rooms.GetByRole(AriaRole.Heading, new() { Name = "远端结对" })).ToBeVisibleAsync();
        await Expect(rooms).ToContainTextAsync("https://node-b.school.test:5443");
        await Expect(page.Locator(".notice.error")).ToHaveCountAsync(0);
        browser.AssertNoConsoleErrors();
    }
}
