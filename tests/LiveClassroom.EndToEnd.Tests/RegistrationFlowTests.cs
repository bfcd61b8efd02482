using System.Text;
using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class RegistrationFlowTests(EndToEndFixture fx)
{
    private const string LeadSchool = "示范省 / 示范市 / 示范县 / 示范县第一实验小学";

    private static async Task SignInAsync(IPage page, string username, string password)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名").FillAsync(username);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
    }

    [Fact]
    public async Task Teacher_RegistersIsHeldOnTheStatusPageUntilTheSchoolAdminApproves()
    {
        var username = $"{fx.NextTag().ToLowerInvariant()}.reg";
        const string password = "teacher-own-password";
        await using var browser = await fx.LaunchAsync();
        browser.ExpectFailedRequest(403); // the pending token's direct API call below, refused by the server
        var page = browser.Page;

        await page.GotoAsync("/login");
        await page.GetByTestId("register-link").ClickAsync();
        var form = page.GetByTestId("register-form");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "实名注册" })).ToBeVisibleAsync();
        await form.GetByLabel("所在学校").SelectOptionAsync(new SelectOptionValue { Label = LeadSchool });
        await form.GetByLabel("真实姓名").FillAsync("注册测试老师");
        await form.GetByLabel("手机号").FillAsync("13800000123");
        await form.GetByLabel("任教学科").FillAsync("音乐");
        await form.GetByLabel("用户名").FillAsync(username);
        await form.GetByLabel("密码", new() { Exact = true }).FillAsync(password);
        await form.GetByRole(AriaRole.Button, new() { Name = "提交注册" }).ClickAsync();
        await Expect(page.GetByTestId("register-done")).ToBeVisibleAsync();

        // Signing in lands on the status page, and only there: other pages lead back to it, the server refuses the token.
        await SignInAsync(page, username, password);
        await Expect(page.GetByTestId("registration-state")).ToHaveTextAsync("等待审核");
        await page.GotoAsync("/timetable");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/registration/status$"));
        var refused = await page.EvaluateAsync<string>("""
            async () => {
              const r = await fetch('/api/organisations', { headers: { Authorization: 'Bearer ' + localStorage.getItem('lc.token') } });
              return r.status + ' ' + (await r.json()).error;
            }
            """);
        Assert.Equal("403 account_pending", refused);
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        await browser.LoginAsync("schooladmin");
        await page.GotoAsync("/admin/registrations");
        var row = page.GetByTestId("registration-queue").GetByRole(AriaRole.Row).Filter(new() { HasText = username });
        await Expect(row).ToContainTextAsync("音乐");
        await row.GetByRole(AriaRole.Button, new() { Name = "通过" }).ClickAsync();
        await Expect(page.GetByTestId("queue-info")).ToHaveTextAsync("已通过“注册测试老师”的注册。");
        await Expect(row).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("admin-registrations");
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        await SignInAsync(page, username, password);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "今日课表" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("who")).ToHaveTextAsync("注册测试老师");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task TeacherImport_DryRunShowsProblemsThenImportsAndTheOneTimePasswordMustBeChanged()
    {
        var tag = fx.NextTag().ToLowerInvariant();
        await using var browser = await fx.LaunchAsync();
        var page = browser.Page;
        await browser.LoginAsync("schooladmin");
        await page.GotoAsync("/admin/import");
        var form = page.GetByTestId("import-form");
        await Expect(form.GetByLabel("学校")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(".+"));

        static FilePayload Csv(string text) => new()
        {
            Name = "teachers.csv", MimeType = "text/csv",
            Buffer = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
        };
        await form.GetByLabel("教师名单（CSV，UTF-8）").SetInputFilesAsync(Csv($"姓名,用户名,工号,学科,学段\r\n导入甲,{tag}.a,{tag}-1,语文,小学\r\n导入乙,,,数学,大学\r\n"));
        await form.GetByRole(AriaRole.Button, new() { Name = "预检" }).ClickAsync();
        var problems = page.GetByTestId("import-problems");
        // Line 3: no phone or staff number, and an unknown stage — both listed.
        await Expect(problems).ToContainTextAsync("手机号或工号至少填写一项");
        await Expect(problems).ToContainTextAsync("学段");
        await Expect(problems).ToContainTextAsync("无效取值");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "导入 1 位教师" })).ToHaveCountAsync(0);

        await form.GetByLabel("教师名单（CSV，UTF-8）").SetInputFilesAsync(Csv($"姓名,用户名,工号,学科,学段\r\n导入甲,{tag}.a,{tag}-1,语文,小学\r\n导入乙,{tag}.b,{tag}-2,数学,初中\r\n"));
        await form.GetByRole(AriaRole.Button, new() { Name = "预检" }).ClickAsync();
        await Expect(page.GetByTestId("import-valid")).ToContainTextAsync("2 行");
        await page.GetByRole(AriaRole.Button, new() { Name = "导入 2 位教师" }).ClickAsync();
        var created = page.GetByTestId("import-created");
        var first = created.GetByRole(AriaRole.Row).Filter(new() { HasText = $"{tag}.a" });
        await Expect(first).ToContainTextAsync("主讲教师");
        var oneTime = (await first.Locator("code").TextContentAsync())!.Trim();
        Assert.Equal(10, oneTime.Length);
        await browser.ScreenshotAsync("admin-import");
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        await SignInAsync(page, $"{tag}.a", oneTime);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "修改密码" })).ToBeVisibleAsync();
        await page.GetByLabel("当前密码").FillAsync(oneTime);
        await page.GetByLabel("新密码", new() { Exact = true }).FillAsync("imported-own-pass");
        await page.GetByLabel("确认新密码").FillAsync("imported-own-pass");
        await page.GetByRole(AriaRole.Button, new() { Name = "修改密码" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "今日课表" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("who")).ToHaveTextAsync("导入甲");
        browser.AssertNoConsoleErrors();
    }
}
