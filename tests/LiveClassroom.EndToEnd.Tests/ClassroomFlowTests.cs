using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>A whole class over the hub (hands, stage, mute, chat, attendance, end) — everything but the video itself.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClassroomFlowTests(EndToEndFixture fx)
{
    [Fact]
    public async Task Class_HandStageMuteChatEnd_ReachesTeacherAndProjectors()
    {
        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), ruralCount: 2);
        var (room1, room2) = (scenario.RuralClassrooms[0], scenario.RuralClassrooms[1]);
        var token1 = await fx.Api.PairDeviceAsync(room1.Id, "投影电脑 1");
        var token2 = await fx.Api.PairDeviceAsync(room2.Id, "投影电脑 2");
        await using var teacher = await fx.LaunchAsync();
        await using var projector1 = await fx.LaunchAsync();
        await using var projector2 = await fx.LaunchAsync();

        await ClassPages.StartProjectorAsync(projector1, token1);
        await ClassPages.StartProjectorAsync(projector2, token2);
        await Expect(projector1.Page.GetByTestId("waiting")).ToHaveTextAsync("等待上课");

        await ClassPages.OpenClassAsTeacherAsync(teacher, scenario);
        var console = teacher.Page;

        // The projectors poll their timetable and walk into the class by themselves.
        var hand = projector1.Page.GetByTestId("hand-button");
        await Expect(hand).ToBeEnabledAsync();
        await Expect(projector2.Page.GetByTestId("hand-button")).ToBeEnabledAsync();
        await Expect(console.GetByTestId("attendance-count")).ToHaveTextAsync("2/2 到课");
        // Rural classrooms are named with their school everywhere: tiles, the hand queue, the event log.
        await Expect(ClassPages.Tile(console, room1)).ToContainTextAsync(ClassPages.Label(room1));

        await hand.ClickAsync();
        await Expect(hand).ToHaveTextAsync("放下手");
        var queue = console.GetByTestId("hand-queue");
        await Expect(queue).ToContainTextAsync(ClassPages.Label(room1));
        await Expect(ClassPages.Tile(console, room1)).ToContainTextAsync("举手 #1");
        await Expect(console.GetByTestId("event-log")).ToContainTextAsync($"{ClassPages.Label(room1)}举手了");

        await queue.GetByRole(AriaRole.Button, new() { Name = "请上台" }).ClickAsync();
        await Expect(projector1.Page.GetByTestId("on-stage")).ToHaveTextAsync("本教室正在台上发言");
        await Expect(ClassPages.Tile(console, room1)).ToContainTextAsync("台上");
        await Expect(console.GetByTestId("hand-queue")).ToHaveCountAsync(0);
        await Expect(projector2.Page.GetByTestId("on-stage")).ToHaveCountAsync(0);

        await ClassPages.Tile(console, room1).GetByRole(AriaRole.Button, new() { Name = "静音" }).ClickAsync();
        await Expect(projector1.Page.GetByTestId("muted-banner")).ToBeVisibleAsync();
        await Expect(ClassPages.Tile(console, room1).GetByRole(AriaRole.Button, new() { Name = "取消静音" })).ToBeVisibleAsync();

        // A question from the second classroom, pinned by the teacher, seen pinned everywhere.
        await projector2.Page.GetByLabel("消息内容").FillAsync("老师，第三题怎么做？");
        await projector2.Page.GetByLabel("作为提问").CheckAsync();
        await projector2.Page.GetByRole(AriaRole.Button, new() { Name = "发送" }).ClickAsync();
        var question = console.GetByTestId("chat-message").Filter(new() { HasText = "老师，第三题怎么做？" });
        await Expect(question).ToContainTextAsync("提问");
        // A projector's message is signed by its school and classroom, not by the device's name.
        await Expect(question.GetByTestId("chat-author")).ToHaveTextAsync(ClassPages.Label(room2));
        await question.GetByRole(AriaRole.Button, new() { Name = "置顶" }).ClickAsync();
        await Expect(projector1.Page.GetByTestId("chat-message").Filter(new() { HasText = "老师，第三题怎么做？" })).ToContainTextAsync("置顶");

        // 正在上课 as the county admin sees it (a page of its own in the projector's browser: the device keeps its own token).
        var adminPage = await projector1.Context.NewPageAsync();
        await adminPage.GotoAsync("/login");
        await adminPage.GetByLabel("用户名").FillAsync("admin");
        await adminPage.GetByLabel("密码").FillAsync(ServerProcess.DemoPassword);
        await adminPage.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(adminPage.GetByRole(AriaRole.Heading, new() { Name = "今日课表" })).ToBeVisibleAsync();
        await adminPage.GotoAsync("/admin/live");
        var liveRoom = adminPage.GetByTestId("live-rooms").GetByRole(AriaRole.Region).Filter(new() { HasText = scenario.PairingName });
        var row1 = liveRoom.GetByRole(AriaRole.Row).Filter(new() { HasText = ClassPages.Label(room1) });
        // The link quality in the UI's language (良好/一般/较差), never the wire's "good"; the page refreshes until stats arrive.
        await Expect(row1.GetByTestId("live-quality")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(良好|一般|较差)$"), new() { Timeout = 40_000 });
        await adminPage.CloseAsync();

        await teacher.ScreenshotAsync("console-live");
        await projector1.ScreenshotAsync("projector-on-stage");

        await ClassPages.Tile(console, room1).GetByRole(AriaRole.Button, new() { Name = "请下台" }).ClickAsync();
        await Expect(projector1.Page.GetByTestId("on-stage")).ToHaveCountAsync(0);

        await console.GetByTestId("end-class").ClickAsync();
        await console.GetByTestId("end-class-confirm").ClickAsync();
        await Expect(console.GetByTestId("console-ended")).ToHaveTextAsync("本节课已结束。");
        await Expect(projector1.Page.GetByTestId("end-screen")).ToHaveTextAsync("本节课已结束");
        await Expect(projector2.Page.GetByTestId("end-screen")).ToHaveTextAsync("本节课已结束");
        await projector1.ScreenshotAsync("projector-ended");

        teacher.AssertNoConsoleErrors();
        projector1.AssertNoConsoleErrors();
        projector2.AssertNoConsoleErrors();
    }
}
