using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class AllianceFlowTests(EndToEndFixture fx)
{
    [Fact]
    public async Task TeacherProposes_CountyCertifies_MemberJoins_ChiefAcceptsAndPairs_AssessmentShowsFigures()
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

        // The chief pairs her classroom with 赵敏's (a member school's rural classroom) for a term: the same county, so
        // the pairing and its timetable are made at once and listed on the alliance's page.
        var pairing = page.GetByTestId("alliance-pairing-form");
        await pairing.GetByLabel("主讲教室").SelectOptionAsync(new SelectOptionValue { Label = "示范县第一实验小学 · 三年级一班录播教室" });
        await pairing.GetByLabel("主讲教师").SelectOptionAsync(new SelectOptionValue { Label = "王芳" });
        await pairing.GetByLabel("河口乡中心小学 · 三年级二班教室").CheckAsync();
        await pairing.GetByLabel("年级", new() { Exact = true }).FillAsync("三年级");
        await pairing.GetByLabel("教材版本", new() { Exact = true }).FillAsync("人教版");
        await pairing.GetByLabel("学期名称", new() { Exact = true }).FillAsync("2027 春季学期");
        await pairing.GetByLabel("开始日期", new() { Exact = true }).FillAsync("2027-03-01");
        await pairing.GetByLabel("结束日期", new() { Exact = true }).FillAsync("2027-06-30");
        await pairing.GetByRole(AriaRole.Button, new() { Name = "安排结对" }).ClickAsync();
        await Expect(page.GetByTestId("alliance-pairing-info")).ToHaveTextAsync("结对已安排，课表已生成。");
        var paired = page.GetByTestId("alliance-pairings").GetByRole(AriaRole.Row).Filter(new() { HasText = "河口乡中心小学 · 三年级二班教室" });
        await Expect(paired).ToContainTextAsync("已生成课表");
        await Expect(paired).ToContainTextAsync("王芳");
        await browser.ScreenshotAsync("alliance-pairing");
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        // 赵敏 (a member, neither chief nor expert) sees the pairing on the alliance's page, but no form to schedule one.
        await browser.LoginAsync("assistant2");
        await page.GotoAsync(allianceUrl);
        await Expect(page.GetByTestId("alliance-pairings")).ToContainTextAsync("三年级二班教室");
        await Expect(page.GetByTestId("alliance-pairing-form")).ToHaveCountAsync(0);
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
