using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class AllianceFlowTests(EndToEndFixture fx)
{
    [Fact]
    public async Task TeacherProposes_CountyCertifies_MemberJoins_ChiefAccepts_AssessmentShowsFigures()
    {
        var name = $"小学数学名师联盟{fx.NextTag()}";
        await using var browser = await fx.LaunchAsync();
        var page = browser.Page;

        // 王芳 proposes a county alliance with herself as chief and two guiding experts.
        await browser.LoginAsync("teacher");
        await page.GetByTestId("nav-alliances").ClickAsync();
        await page.GetByTestId("alliance-apply-link").ClickAsync();
        var form = page.GetByTestId("alliance-apply-form");
        await form.GetByLabel("联盟名称").FillAsync(name);
        await form.GetByLabel("学科", new() { Exact = true }).FillAsync("数学");
        await form.GetByLabel("联盟计划").FillAsync("每月一次同课异构，学期末汇编优秀课例。");
        await form.GetByLabel("首席名师").SelectOptionAsync(new SelectOptionValue { Label = "王芳（示范县第一实验小学）" });
        await page.GetByTestId("alliance-experts").GetByLabel("刘教研").CheckAsync();
        await page.GetByTestId("alliance-experts").GetByLabel("李强").CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        await Expect(page.GetByTestId("alliance-status")).ToContainTextAsync("待认定");
        var allianceUrl = page.Url;
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        // The county admin certifies it from the queue of their level.
        await browser.LoginAsync("admin");
        await page.GotoAsync("/admin/alliances");
        var row = page.GetByTestId("alliance-queue").GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await row.GetByRole(AriaRole.Button, new() { Name = "认定" }).ClickAsync();
        await Expect(page.GetByTestId("alliance-admin-info")).ToHaveTextAsync($"已认定“{name}”。");
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        // 赵敏 (a rural school's teacher) finds it and asks to join.
        await browser.LoginAsync("assistant2");
        await page.GetByTestId("nav-alliances").ClickAsync();
        await page.GetByTestId("alliance-list").GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await page.GetByLabel("申请说明").FillAsync("希望参加同课异构");
        await page.GetByRole(AriaRole.Button, new() { Name = "申请加入" }).ClickAsync();
        await Expect(page.GetByTestId("alliance-info")).ToHaveTextAsync("已提交入盟申请，等待首席名师处理。");
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        // The chief accepts; 赵敏 is listed as a member.
        await browser.LoginAsync("teacher");
        await page.GotoAsync(allianceUrl);
        var application = page.GetByTestId("alliance-applications").GetByRole(AriaRole.Row).Filter(new() { HasText = "赵敏" });
        await application.GetByRole(AriaRole.Button, new() { Name = "同意" }).ClickAsync();
        await Expect(page.GetByTestId("alliance-info")).ToHaveTextAsync("已同意 赵敏 加入。");
        await Expect(page.GetByTestId("alliance-members").Locator("tr[data-role=member]")).ToContainTextAsync("赵敏");
        await browser.ScreenshotAsync("alliance-chief");
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        // The county admin assesses the year: the form shows the figures the platform computed.
        await browser.LoginAsync("admin");
        await page.GotoAsync("/admin/alliances");
        var assess = page.GetByTestId("alliance-assess-form");
        await assess.GetByLabel("联盟名称").SelectOptionAsync(new SelectOptionValue { Label = name });
        var figures = page.GetByTestId("assessment-figures");
        await Expect(figures.Locator("[data-figure=members] td")).ToHaveTextAsync("4");
        await Expect(figures.Locator("[data-figure=schools] td")).ToHaveTextAsync("3");
        await Expect(figures.Locator("[data-figure=sessionsHeld] td")).ToHaveTextAsync("0");
        await assess.GetByLabel("得分（0–100）").FillAsync("92");
        await assess.GetByLabel("评语").FillAsync("联盟运行良好");
        await assess.GetByLabel("考核结论").SelectOptionAsync(new SelectOptionValue { Label = "保留" });
        await browser.ScreenshotAsync("alliance-assessment");
        await assess.GetByRole(AriaRole.Button, new() { Name = "提交考核" }).ClickAsync();
        await Expect(page.GetByTestId("alliance-admin-info")).ToHaveTextAsync($"已完成“{name}”的年度考核。");
        await page.GotoAsync(allianceUrl);
        await Expect(page.GetByTestId("alliance-assessments")).ToContainTextAsync("92");
        await Expect(page.GetByTestId("alliance-status")).ToContainTextAsync("已考核");
        browser.AssertNoConsoleErrors();
    }
}
