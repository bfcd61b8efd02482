using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class LoginTests(EndToEndFixture fx)
{
    [Fact]
    public async Task Login_EmptyThenWrongPassword_ExplainsNextToFieldsThenShowsServerReason()
    {
        await using var browser = await fx.LaunchAsync();
        browser.ExpectFailedRequest(401);
        var page = browser.Page;
        await page.GotoAsync("/");

        await expectLoginPage(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        // Each empty field says why, next to itself, and is marked invalid for screen readers.
        await Expect(page.Locator("#login-username-error")).ToHaveTextAsync("此项为必填项。");
        await Expect(page.Locator("#login-password-error")).ToHaveTextAsync("此项为必填项。");
        await Expect(page.GetByLabel("用户名")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("用户名")).ToBeFocusedAsync();

        await page.GetByLabel("用户名").FillAsync("teacher");
        await page.GetByLabel("密码").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        // The server's own Chinese message, not a generic one.
        var error = page.GetByTestId("login-error");
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).ToContainTextAsync("密码");
        await Expect(page.Locator("#login-username-error")).ToHaveCountAsync(0);
        browser.AssertNoConsoleErrors();

        static Task expectLoginPage(IPage p) => Expect(p.GetByRole(AriaRole.Heading, new() { Name = "专递课堂" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task LanguageSwitch_ToEnglish_TranslatesAndIsRememberedAfterReload()
    {
        await using var browser = await fx.LaunchAsync();
        browser.ExpectFailedRequest(401);
        var page = browser.Page;
        await page.GotoAsync("/login");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");

        await page.GetByTestId("lang-switch").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");

        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GetByLabel("Username").FillAsync("teacher");
        await page.GetByLabel("Password").FillAsync("wrong-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // The server's English message is shown in English.
        await Expect(page.GetByTestId("login-error")).ToContainTextAsync("password", new() { IgnoreCase = true });
        await Expect(page.GetByTestId("login-error")).Not.ToContainTextAsync("密码");

        await page.GetByTestId("lang-switch").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "登录" })).ToBeVisibleAsync();
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Login_LeadTeacher_SeesTodaysLessonWithOpenButton_AndLogsOut()
    {
        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), ruralCount: 1);
        await using var browser = await fx.LaunchAsync();
        var page = browser.Page;
        await browser.LoginAsync("teacher");

        await Expect(page.GetByTestId("who")).ToHaveTextAsync("王芳");
        var lesson = page.GetByTestId("lesson").Filter(new() { HasText = scenario.PairingName });
        await Expect(lesson).ToBeVisibleAsync();
        await Expect(lesson.GetByRole(AriaRole.Button, new() { Name = "开课" })).ToBeVisibleAsync();
        await Expect(lesson).ToContainTextAsync("未开始");

        // Keyboard: the logout button is reachable and works with Enter.
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "登录" })).ToBeVisibleAsync();
        Assert.EndsWith("/login", page.Url, StringComparison.Ordinal);
        browser.AssertNoConsoleErrors();
    }
}
