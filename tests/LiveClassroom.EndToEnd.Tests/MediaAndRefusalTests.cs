using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class MediaAndRefusalTests(EndToEndFixture fx)
{
    [Fact]
    public async Task Console_WithoutCameraOrMicrophone_ExplainsWhatToDo_AndChatStillWorks()
    {
        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), ruralCount: 1);
        await using var teacher = await fx.LaunchAsync(fakeMedia: false);
        await ClassPages.OpenClassAsTeacherAsync(teacher, scenario);
        var page = teacher.Page;

        await Expect(page.GetByTestId("camera-error")).ToHaveTextAsync("未检测到摄像头：请检查连接或在浏览器设置中允许使用摄像头。");
        await Expect(page.GetByTestId("mic-error")).ToContainTextAsync("未检测到麦克风");
        await Expect(page.GetByLabel("摄像头", new() { Exact = true })).ToBeDisabledAsync();

        // The rest of the console keeps working: chat round-trips through the hub.
        await page.GetByLabel("消息内容").FillAsync("同学们好，今天没有摄像头。");
        await page.GetByRole(AriaRole.Button, new() { Name = "发送" }).ClickAsync();
        await Expect(page.GetByTestId("chat-message").Filter(new() { HasText = "同学们好，今天没有摄像头。" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("消息内容")).ToHaveValueAsync("");
        await teacher.ScreenshotAsync("console-no-camera");
        teacher.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Console_AsWatchingAdmin_MuteIsRefusedWithTheServersReason()
    {
        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), ruralCount: 1);
        var classId = await fx.Api.OpenLessonAsync(scenario.PairingId);
        await using var admin = await fx.LaunchAsync();
        await admin.LoginAsync("admin");
        await admin.Page.GotoAsync($"/console/{Uri.EscapeDataString(classId)}");

        var tile = ClassPages.Tile(admin.Page, scenario.RuralClassrooms[0]);
        await Expect(tile).ToContainTextAsync("未到");
        // An admin watches; only the lead teacher controls the class: no open/end buttons, and the hub refuses mute.
        await Expect(admin.Page.GetByTestId("end-class")).ToHaveCountAsync(0);
        await tile.GetByRole(AriaRole.Button, new() { Name = "静音" }).ClickAsync();
        var refusal = admin.Page.GetByTestId("action-error");
        await Expect(refusal).ToBeVisibleAsync();
        await Expect(refusal).Not.ToContainTextAsync("forbidden");
        await Expect(refusal).ToContainTextAsync(new System.Text.RegularExpressions.Regex("[\\u4e00-\\u9fff]"));
        admin.AssertNoConsoleErrors();
    }
}
