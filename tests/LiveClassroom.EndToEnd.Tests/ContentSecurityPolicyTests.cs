using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>
/// The server's Content-Security-Policy (script-src 'self', no inline script, frame-ancestors 'none') in real
/// Chromium: it is enforced, and the main pages still work under it with no violation reported. Every browser of every
/// end-to-end test also fails on a violation (Harness/BrowserSession).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ContentSecurityPolicyTests(EndToEndFixture fx)
{
    [Fact]
    public async Task InlineScript_InjectedIntoThePage_IsBlockedAndReported()
    {
        await using var browser = await fx.LaunchAsync(fakeMedia: false);

        var response = await browser.Page.GotoAsync("/login");

        var csp = await response!.HeaderValueAsync("content-security-policy");
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        var ran = await browser.Page.EvaluateAsync<bool>("""
            () => {
              const s = document.createElement('script');
              s.textContent = 'window.__inlineRan = true';
              document.body.appendChild(s);
              return window.__inlineRan === true;
            }
            """);
        Assert.False(ran);
        await WaitForAsync(() => browser.CspViolations.Count > 0);
        var violation = Assert.Single(browser.CspViolations);
        Assert.StartsWith("script-src-elem blocked inline", violation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MainPages_UnderTheCsp_WorkWithNoViolation()
    {
        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), ruralCount: 1);
        var deviceToken = await fx.Api.PairDeviceAsync(scenario.RuralClassrooms[0].Id, "投影电脑 CSP");
        await using var teacher = await fx.LaunchAsync();
        await using var projector = await fx.LaunchAsync();
        await using var researcher = await fx.LaunchAsync();

        // Projector, login, timetable, console; media flowing from the teacher to the projector.
        await ClassPages.StartProjectorAsync(projector, deviceToken);
        await Expect(projector.Page.GetByTestId("waiting")).ToHaveTextAsync("等待上课");
        await ClassPages.OpenClassAsTeacherAsync(teacher, scenario);
        await projector.Page.WaitForFunctionAsync("() => { const v = document.querySelector('[data-testid=teacher-video]'); return v && v.currentTime > 1; }",
            null, new() { Timeout = 30_000 });

        // Research room: the host's camera reaches a participant; then the lesson's report page.
        var (researcherToken, _) = await fx.Api.LoginAsync("researcher");
        var (_, teacherPerson) = await fx.Api.LoginAsync("teacher");
        var session = await fx.Api.SendAsync(HttpMethod.Post, "/api/research/sessions", researcherToken, new
        {
            title = $"{fx.NextTag()} 听课",
            kind = "lesson_review",
            subject = "语文",
            stage = "primary",
            scheduledStart = DateTimeOffset.UtcNow,
            segments = new[] { new { kind = "review", plannedMinutes = 20 } },
            invitations = new[] { new { personId = teacherPerson["id"]!.GetValue<string>(), role = "participant" } },
        });
        var sessionId = session["id"]!.GetValue<string>();
        var lesson = await fx.Api.SendAsync(HttpMethod.Post, $"/api/research/sessions/{sessionId}/lessons", researcherToken,
            new { title = "《荷花》", liveClassId = Guid.NewGuid() }); // only its report is opened: any lesson will do
        await fx.Api.SendAsync(HttpMethod.Post, $"/api/research/sessions/{sessionId}/start", researcherToken);
        await researcher.LoginAsync("researcher");
        await researcher.Page.GotoAsync($"/research/{sessionId}");
        await Expect(researcher.Page.GetByTestId("my-role")).ToBeVisibleAsync();
        // A second tab, so the class console stays open (its CSP violations are collected context-wide).
        var teacherRoom = await teacher.Context.NewPageAsync();
        await teacherRoom.GotoAsync($"/research/{sessionId}");
        await teacherRoom.WaitForFunctionAsync("() => { const v = document.querySelector('[data-testid=video-host]'); return v && v.currentTime > 1; }",
            null, new() { Timeout = 30_000 });

        await researcher.Page.GotoAsync($"/research/{sessionId}/lessons/{lesson["id"]!.GetValue<string>()}/report");
        await Expect(researcher.Page.GetByTestId("btn-print")).ToBeVisibleAsync();

        foreach (var b in new[] { teacher, projector, researcher })
        {
            b.AssertNoConsoleErrors();
        }
    }

    /// <summary>The violation reaches the test through a binding call, after the script that caused it returned.</summary>
    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }
}
