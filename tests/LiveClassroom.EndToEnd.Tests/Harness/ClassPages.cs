using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>Steps several class tests share: a teacher opening today's lesson, projectors joining it.</summary>
public static class ClassPages
{
    /// <summary>Signs the lead teacher in, clicks 开课 on the scenario's lesson and waits for the live console.</summary>
    public static async Task OpenClassAsTeacherAsync(BrowserSession teacher, Scenario scenario)
    {
        await teacher.LoginAsync("teacher");
        var lesson = teacher.Page.GetByTestId("lesson").Filter(new() { HasText = scenario.PairingName });
        await lesson.GetByRole(AriaRole.Button, new() { Name = "开课" }).ClickAsync();
        await Expect(teacher.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/"));
        await Expect(teacher.Page.GetByTestId("class-state")).ToHaveTextAsync("上课中");
    }

    /// <summary>A projector that was paired before: token in localStorage, then /projector with no clicks.</summary>
    public static async Task StartProjectorAsync(BrowserSession projector, string deviceToken)
    {
        await projector.UseDeviceTokenAsync(deviceToken);
        await projector.Page.GotoAsync("/projector");
    }

    /// <summary>How the UI names a rural classroom: its school, then the classroom.</summary>
    public static string Label(RuralClassroom room) => $"{room.SchoolName} · {room.Name}";

    public static ILocator Tile(IPage page, RuralClassroom room) => page.Locator($"[data-testid=classroom-tile][data-classroom='{room.Id}']");
}
