using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class ProjectorPairingTests(EndToEndFixture fx)
{
    [Fact]
    public async Task Projector_FirstRun_PairedByAdminCode_WaitsForClass_ThenRevokedBackToCode()
    {
        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), ruralCount: 1);
        var room = scenario.RuralClassrooms[0];
        await using var projector = await fx.LaunchAsync();
        await using var admin = await fx.LaunchAsync();
        projector.ExpectFailedRequest(401); // the revoked token's next poll

        await projector.Page.GotoAsync("/projector");
        var codeLocator = projector.Page.GetByTestId("pairing-code");
        await Expect(codeLocator).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[A-Z2-9]{6}$"));
        var code = await codeLocator.TextContentAsync();
        await projector.ScreenshotAsync("projector-pairing-code");

        await admin.LoginAsync("admin");
        await admin.Page.GetByRole(AriaRole.Link, new() { Name = "管理" }).ClickAsync();
        await admin.Page.GetByRole(AriaRole.Link, new() { Name = "教室设备" }).ClickAsync();
        var form = admin.Page.GetByTestId("pair-form");
        // A mistyped code is explained next to the field before anything is sent.
        await form.GetByLabel("配对码").FillAsync("0O1");
        await form.GetByRole(AriaRole.Button, new() { Name = "配对" }).ClickAsync();
        await Expect(admin.Page.Locator("#pair-code-error")).ToContainTextAsync("6 位");
        await Expect(admin.Page.Locator("#pair-name-error")).ToHaveTextAsync("此项为必填项。");

        await form.GetByLabel("配对码").FillAsync(code!.ToLowerInvariant());
        await form.GetByLabel("教室").SelectOptionAsync(new SelectOptionValue { Label = $"{room.SchoolName} · {room.Name}" });
        await form.GetByLabel("设备名称").FillAsync("后排投影电脑");
        await form.GetByRole(AriaRole.Button, new() { Name = "配对" }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Status)).ToHaveTextAsync("已配对“后排投影电脑”。");
        var row = admin.Page.GetByTestId("device-row").Filter(new() { HasText = "后排投影电脑" });
        await Expect(row).ToContainTextAsync(room.SchoolName);

        // The projector collects its token on the next poll and shows the classroom's next lesson.
        await Expect(projector.Page.GetByTestId("waiting")).ToHaveTextAsync("等待上课");
        await Expect(projector.Page.GetByTestId("next-lesson")).ToContainTextAsync("语文");
        Assert.False(string.IsNullOrEmpty(await projector.Page.EvaluateAsync<string>("() => localStorage.getItem('lc.deviceToken')")));
        await projector.ScreenshotAsync("projector-waiting");

        // Network loss while waiting is said on screen in large text, and clears by itself when the network is back.
        projector.ExpectOffline();
        await projector.Context.SetOfflineAsync(true);
        await Expect(projector.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("网络已断开，正在重新连接…");
        await projector.Context.SetOfflineAsync(false);
        await Expect(projector.Page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);

        await row.GetByRole(AriaRole.Button, new() { Name = "停用设备" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "停用设备" }).ClickAsync();
        await Expect(row).ToContainTextAsync("已停用");
        // A waiting projector learns of its revocation at its next timetable poll (the 30 s fallback; class openings are pushed).
        await Expect(projector.Page.GetByTestId("pairing-code")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[A-Z2-9]{6}$"), new() { Timeout = 60_000 });
        Assert.NotEqual(code, await projector.Page.GetByTestId("pairing-code").TextContentAsync());

        projector.AssertNoConsoleErrors();
        admin.AssertNoConsoleErrors();
    }
}
