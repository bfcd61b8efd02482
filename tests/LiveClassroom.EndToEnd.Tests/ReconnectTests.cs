using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class ReconnectTests(EndToEndFixture fx)
{
    [Fact]
    public async Task Projector_ServerLostMidClass_SaysReconnectingInLargeText_ThenRejoinsByItself()
    {
        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), ruralCount: 1);
        var token = await fx.Api.PairDeviceAsync(scenario.RuralClassrooms[0].Id, "投影电脑");
        await fx.Api.OpenLessonAsync(scenario.PairingId);
        await using var projector = await fx.LaunchAsync();
        projector.ExpectServerDown();
        await ClassPages.StartProjectorAsync(projector, token);
        var hand = projector.Page.GetByTestId("hand-button");
        await Expect(hand).ToBeEnabledAsync();

        await fx.Server.KillAsync();
        var notice = projector.Page.GetByTestId("reconnecting");
        await Expect(notice).ToHaveTextAsync("网络已断开，正在重新连接…", new() { Timeout = 90_000 });
        await projector.ScreenshotAsync("projector-reconnecting");

        await fx.Server.RestartAsync();
        // Nobody touches the projector: it rejoins the same class, and the class works again.
        await Expect(notice).ToHaveCountAsync(0, new() { Timeout = 90_000 });
        await hand.ClickAsync();
        await Expect(hand).ToHaveTextAsync("放下手");
        projector.AssertNoConsoleErrors();
    }
}
