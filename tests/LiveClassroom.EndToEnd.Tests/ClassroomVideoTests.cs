using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>
/// The on-stage classroom's camera reaching the teacher through the SFU. Needs the real media plane
/// (Media:Mode other than Null); with the Null media plane the stage video never plays and this test fails there.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClassroomVideoTests(EndToEndFixture fx)
{
    [Fact]
    public async Task StageVideo_ClassroomBroughtOnStage_PlaysOnTeacherConsole_ThenMutedAndEnded()
    {
        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), ruralCount: 2);
        var room1 = scenario.RuralClassrooms[0];
        var token1 = await fx.Api.PairDeviceAsync(room1.Id, "投影电脑 1");
        var token2 = await fx.Api.PairDeviceAsync(scenario.RuralClassrooms[1].Id, "投影电脑 2");
        await using var teacher = await fx.LaunchAsync();
        await using var projector1 = await fx.LaunchAsync();
        await using var projector2 = await fx.LaunchAsync();
        await ClassPages.StartProjectorAsync(projector1, token1);
        await ClassPages.StartProjectorAsync(projector2, token2);
        await ClassPages.OpenClassAsTeacherAsync(teacher, scenario);
        var console = teacher.Page;

        await projector1.Page.GetByTestId("hand-button").ClickAsync();
        await console.GetByTestId("hand-queue").GetByRole(AriaRole.Button, new() { Name = "请上台" }).ClickAsync();
        var video = ClassPages.Tile(console, room1).GetByTestId("stage-video");
        await Expect(video).ToBeVisibleAsync();

        // Playing: the element's clock advances and the decoder keeps producing frames.
        try
        {
            await console.WaitForFunctionAsync("() => { const v = document.querySelector('[data-testid=stage-video]'); return v && v.currentTime > 1; }",
                null, new() { Timeout = 30_000 });
        }
        catch (TimeoutException ex)
        {
            // Where media stopped: ICE/DTLS on each side, then what arrived and what was decoded.
            throw new TimeoutException($"stage video never played; console: {await MediaStateAsync(console)}; projector: {await MediaStateAsync(projector1.Page)}", ex);
        }
        var frames = await console.EvaluateAsync<int>("() => window.lcLive.media.framesDecoded('stage1')");
        await PageWait.UntilAsync(console, $"async () => (await window.lcLive.media.framesDecoded('stage1')) > {frames + 10}", null, TimeSpan.FromSeconds(15));
        // The projector sees the teacher too.
        await projector2.Page.WaitForFunctionAsync("() => { const v = document.querySelector('[data-testid=teacher-video]'); return v && v.currentTime > 1; }",
            null, new() { Timeout = 30_000 });
        await teacher.ScreenshotAsync("console-stage-video");
        await projector2.ScreenshotAsync("projector-teacher-video");

        await ClassPages.Tile(console, room1).GetByRole(AriaRole.Button, new() { Name = "静音" }).ClickAsync();
        await Expect(projector1.Page.GetByTestId("muted-banner")).ToBeVisibleAsync();

        await console.GetByTestId("end-class").ClickAsync();
        await console.GetByTestId("end-class-confirm").ClickAsync();
        await Expect(projector1.Page.GetByTestId("end-screen")).ToHaveTextAsync("本节课已结束");
        await Expect(projector2.Page.GetByTestId("end-screen")).ToHaveTextAsync("本节课已结束");
        teacher.AssertNoConsoleErrors();
        projector1.AssertNoConsoleErrors();
        projector2.AssertNoConsoleErrors();
    }

    /// <summary>The page's peer connection as getStats sees it, in one line for a failure message.</summary>
    private static Task<string> MediaStateAsync(IPage page) => page.EvaluateAsync<string>("""
        async () => {
          const pc = window.lcLive?.media?.pc;
          if (!pc) return 'no peer connection';
          const out = [`pc=${pc.connectionState} ice=${pc.iceConnectionState}`];
          (await pc.getStats()).forEach(s => {
            if (s.type === 'transport') out.push(`dtls=${s.dtlsState}`);
            if (s.type === 'candidate-pair') out.push(`pair ${s.state} req=${s.requestsSent} resp=${s.responsesReceived}`);
            if (s.type === 'inbound-rtp' && s.kind === 'video') out.push(`in mid ${s.mid}: pkts=${s.packetsReceived} frames=${s.framesDecoded} key=${s.keyFramesDecoded}`);
            if (s.type === 'outbound-rtp' && s.kind === 'video') out.push(`out mid ${s.mid}: pkts=${s.packetsSent}`);
          });
          return out.join(', ');
        }
        """);
}
