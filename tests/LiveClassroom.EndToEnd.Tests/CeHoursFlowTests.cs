using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class CeHoursFlowTests(EndToEndFixture fx)
{
    [Fact]
    public async Task SchoolAdminRecordsSchoolTraining_TeacherSeesItOnTheirHoursPage()
    {
        var note = $"校本研修：课堂提问策略{fx.NextTag()}";
        await using var browser = await fx.LaunchAsync();
        var page = browser.Page;

        await browser.LoginAsync("schooladmin");
        await page.GotoAsync("/admin/ce");
        await Expect(page.GetByTestId("ce-report")).ToContainTextAsync("王芳");
        // The chart drew (chart.js loaded on demand, under the page's CSP).
        await Expect(page.GetByTestId("ce-chart")).ToHaveAttributeAsync("data-ready", "true");
        var form = page.GetByTestId("ce-training-form");
        await form.GetByLabel("教师", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "王芳" });
        await form.GetByLabel("学时", new() { Exact = true }).FillAsync("1.5");
        await form.GetByLabel("说明", new() { Exact = true }).FillAsync(note);
        await form.GetByRole(AriaRole.Button, new() { Name = "登记学时" }).ClickAsync();
        await Expect(page.GetByTestId("ce-info")).ToHaveTextAsync("已为王芳登记校本研修学时。");
        await browser.ScreenshotAsync("admin-ce-hours");
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        await browser.LoginAsync("teacher");
        await page.GetByTestId("nav-ce").ClickAsync();
        await Expect(page.GetByTestId("ce-credits").GetByRole(AriaRole.Row).Filter(new() { HasText = note })).ToContainTextAsync("校本研修");
        await Expect(page.GetByTestId("ce-by-kind").Locator("[data-kind=school_training] td")).ToHaveTextAsync("1.5");
        await Expect(page.GetByTestId("ce-earned")).ToContainTextAsync("要求 36 学时");
        await browser.ScreenshotAsync("teacher-ce-hours");
        browser.AssertNoConsoleErrors();
    }
}
