using LiveClassroom.Media.EndToEnd.Tests.Harness;

namespace LiveClassroom.Media.EndToEnd.Tests;

/// <summary>Chromium publishes camera + microphone, Chromium subscribers decode through the SFU.</summary>
public sealed class ForwardingTests : IClassFixture<ChromiumBrowser>
{
    private readonly ChromiumBrowser _browser;

    public ForwardingTests(ChromiumBrowser browser)
    {
        _browser = browser;
    }

    [Theory]
    [InlineData(SrtpProfilePreference.GcmOnly, VideoCodecPreference.Vp8)]
    [InlineData(SrtpProfilePreference.CmHmacSha1Only, VideoCodecPreference.H264)]
    public async Task OnePublisherThreeSubscribers_AllDecodeVideoAndReceiveAudio(SrtpProfilePreference srtp, VideoCodecPreference codec)
    {
        await using var sfu = await SfuSession.StartAsync(srtp, codec);
        var (publisher, _) = await sfu.PublishAsync(_browser, "r1", "teacher");
        var subscribers = new List<Microsoft.Playwright.IPage>();
        for (var i = 0; i < 3; i++)
        {
            subscribers.Add((await sfu.SubscribeAsync(_browser, "r1", $"student{i}")).Page);
        }

        foreach (var page in subscribers)
        {
            var (videoOk, video) = await InboundStats.PollAsync(() => InboundStats.VideoAsync(page), v => v is { FramesDecoded: > 10 }, TimeSpan.FromSeconds(5));
            var (audioOk, audio) = await InboundStats.PollAsync(() => InboundStats.AudioAsync(page), a => a is { PacketsReceived: > 0 }, TimeSpan.FromSeconds(5));
            Assert.True(videoOk, $"video not decoding: {video}; server: {Describe(sfu)}");
            Assert.True(audioOk, $"audio not received: {audio}");
        }
        await publisher.CloseAsync();
        foreach (var page in subscribers)
        {
            await page.CloseAsync();
        }
    }

    private static string Describe(SfuSession sfu) => sfu.Server.Diagnostics();
}
