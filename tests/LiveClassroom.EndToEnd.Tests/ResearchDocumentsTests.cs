using LiveClassroom.EndToEnd.Tests.Harness;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>
/// The teaching-research documents in real Chromium: 同课异构 (two teachers' recordings of one chapter played side by
/// side in sync) and 集体备课 (a lesson plan revised by two people, with a conflict merged, a diff and a paragraph comment).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ResearchDocumentsTests(EndToEndFixture fx)
{
    /// <summary>currentTime of every compare video, in page order.</summary>
    private const string CompareTimes = "() => [...document.querySelectorAll('[data-testid=compare-video]')].map(v => v.currentTime)";

    [Fact]
    public async Task SameLesson_TwoRecordingsOfOneChapter_PlayAndSeekSideBySideInSync()
    {
        var tag = fx.NextTag();
        var (researcherToken, _) = await fx.Api.LoginAsync("researcher");
        var (_, teacher) = await fx.Api.LoginAsync("teacher");
        var school = Guid.Parse(teacher["organisationId"]!.GetValue<string>());
        var teacherId = Guid.Parse(teacher["id"]!.GetValue<string>());
        var first = await FinishedRecording.CreateAsync(fx.Server, school, teacherId, 60);
        var second = await FinishedRecording.CreateAsync(fx.Server, school, teacherId, 60);
        var session = await fx.Api.SendAsync(HttpMethod.Post, "/api/research/sessions", researcherToken, new
        {
            title = $"{tag} 同课异构《荷花》",
            kind = "same_lesson",
            subject = "语文",
            stage = "primary",
            chapter = "荷花",
            scheduledStart = DateTimeOffset.UtcNow,
            segments = new[] { new { kind = "observe", plannedMinutes = 40 }, new { kind = "review", plannedMinutes = 30 } },
            invitations = new[] { new { personId = teacherId, role = "participant" } },
        });
        var sessionId = session["id"]!.GetValue<string>();
        foreach (var (recording, name) in new[] { (first, "王老师"), (second, "李老师") })
        {
            await fx.Api.SendAsync(HttpMethod.Post, $"/api/research/sessions/{sessionId}/lessons", researcherToken,
                new { title = $"《荷花》{name}", teacherName = name, recordingId = recording });
        }

        await using var b = await fx.LaunchAsync();
        await b.LoginAsync("teacher");
        await b.Page.GotoAsync($"/research/{sessionId}/compare?chapter={Uri.EscapeDataString("荷花")}");
        await Expect(b.Page.GetByTestId("compare-column")).ToHaveCountAsync(2);
        await b.Page.WaitForFunctionAsync("() => [...document.querySelectorAll('[data-testid=compare-video]')].filter(v => v.readyState >= 1).length === 2");

        await b.Page.GetByTestId("btn-compare-play").ClickAsync();
        await b.Page.WaitForFunctionAsync($"() => ({CompareTimes})().every(t => t > 3)", null, new() { Timeout = 30_000 });
        await AssertInSyncAsync(b);

        // Seeking on the shared bar moves both.
        await b.Page.GetByTestId("compare-seek").EvaluateAsync("(e) => { e.value = '30'; e.dispatchEvent(new Event('input', { bubbles: true })); }");
        await b.Page.WaitForFunctionAsync($"() => ({CompareTimes})().every(t => t >= 29.5 && t < 40)", null, new() { Timeout = 20_000 });
        await AssertInSyncAsync(b);
        await b.ScreenshotAsync("research-compare");
        b.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task CoPrepare_TwoEditors_VersionsConflictDiffAndParagraphComment()
    {
        var tag = fx.NextTag();
        var (teacherToken, _) = await fx.Api.LoginAsync("teacher");
        var plan = await fx.Api.SendAsync(HttpMethod.Post, "/api/research/lesson-plans", teacherToken, new
        {
            subject = "语文",
            stage = "primary",
            grade = "三年级",
            chapter = $"{tag} 荷花",
            place = "三年级语文教研室",
            prepareAt = DateTimeOffset.UtcNow.AddDays(1),
            body = "教学目标：有感情地朗读课文。\n\n教学过程：图片导入，初读课文。",
        });
        var planId = plan["plan"]!["id"]!.GetValue<string>();

        await using var preparer = await OpenPlanAsync("teacher", planId);
        await using var researcher = await OpenPlanAsync("researcher", planId);

        // The main preparer revises and saves: version 2.
        await AppendAndSaveAsync(preparer, "板书设计：荷花——美丽、想象。");
        await Expect(preparer.Page.GetByTestId("plan-version")).ToHaveCountAsync(2);

        // The researcher, still on version 1, saves too: told of the newer version, merges both changes and saves.
        await AppendAndSaveAsync(researcher, "作业：仿写一段描写花的文字。");
        await Expect(researcher.Page.GetByTestId("plan-conflict")).ToBeVisibleAsync();
        await researcher.Page.GetByTestId("btn-conflict-merge").ClickAsync();
        await Expect(researcher.Page.GetByTestId("plan-editor")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("板书设计[\\s\\S]*作业"));
        await researcher.Page.GetByTestId("btn-save-plan").ClickAsync();
        await Expect(researcher.Page.GetByTestId("plan-version")).ToHaveCountAsync(3);

        var stored = await fx.Api.SendAsync(HttpMethod.Get, $"/api/research/lesson-plans/{planId}", teacherToken);
        Assert.Equal(3, stored["latest"]!["version"]!.GetValue<int>());
        var body = stored["latest"]!["body"]!.GetValue<string>();
        Assert.Contains("板书设计：荷花——美丽、想象。", body, StringComparison.Ordinal);
        Assert.Contains("作业：仿写一段描写花的文字。", body, StringComparison.Ordinal);
        Assert.StartsWith("教学目标：有感情地朗读课文。", body, StringComparison.Ordinal);
        Assert.Equal("刘教研", stored["versions"]!.AsArray().Single(v => v!["version"]!.GetValue<int>() == 3)!["authorName"]!.GetValue<string>());

        // The diff from 2 to 3 shows the researcher's line as inserted.
        await researcher.Page.GetByTestId("diff-from").SelectOptionAsync("2");
        await researcher.Page.GetByTestId("diff-to").SelectOptionAsync("3");
        await researcher.Page.GetByTestId("btn-diff").ClickAsync();
        await Expect(researcher.Page.GetByTestId("plan-diff")).ToContainTextAsync("作业：仿写一段描写花的文字。");

        // A comment on the first paragraph reaches the preparer.
        var paragraph = researcher.Page.Locator("[data-testid=plan-paragraph][data-paragraph='0']");
        await paragraph.GetByTestId("btn-plan-comment-open").ClickAsync();
        await paragraph.GetByTestId("plan-comment-body").FillAsync("目标可以再加上“了解荷花的特点”。");
        await paragraph.GetByTestId("btn-plan-comment").ClickAsync();
        // Stored once the commenter's own page lists it; only then can the preparer's reload show it.
        await Expect(researcher.Page.GetByTestId("plan-comment")).ToContainTextAsync("了解荷花的特点");
        await preparer.Page.ReloadAsync();
        await Expect(preparer.Page.GetByTestId("plan-comment")).ToContainTextAsync("了解荷花的特点");
        await researcher.ScreenshotAsync("research-lesson-plan");
        preparer.AssertNoConsoleErrors();
        researcher.AssertNoConsoleErrors();
    }

    private async Task<BrowserSession> OpenPlanAsync(string username, string planId)
    {
        var b = await fx.LaunchAsync(fakeMedia: false);
        await b.LoginAsync(username);
        await b.Page.GotoAsync($"/lesson-plans/{planId}");
        await Expect(b.Page.GetByTestId("plan-editor")).ToBeVisibleAsync();
        return b;
    }

    private static async Task AppendAndSaveAsync(BrowserSession b, string line)
    {
        var editor = b.Page.GetByTestId("plan-editor");
        var text = await editor.InputValueAsync();
        await editor.FillAsync(text + "\n\n" + line);
        await b.Page.GetByTestId("btn-save-plan").ClickAsync();
    }

    private static async Task AssertInSyncAsync(BrowserSession b)
    {
        var times = await b.Page.EvaluateAsync<double[]>(CompareTimes);
        Assert.Equal(2, times.Length);
        Assert.True(Math.Abs(times[0] - times[1]) < 0.6, $"the two lessons drifted apart: {string.Join(" / ", times)}");
    }
}
