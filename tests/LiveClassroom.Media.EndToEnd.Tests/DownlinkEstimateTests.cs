using LiveClassroom.Media.EndToEnd.Tests.Harness;

namespace LiveClassroom.Media.EndToEnd.Tests;

/// <summary>
/// Chromium as a subscriber answers the SFU's transport-wide sequence numbers with transport-cc feedback
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01): the SFU's estimate for it comes from that feedback, and on a
/// clean link its video is never paused.
/// </summary>
public sealed class DownlinkEstimateTests(ChromiumBrowser browser) : IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task ChromiumSubscriber_SendsTransportFeedback_EstimateFromItAndVideoKeepsFlowing()
    {
        await using var sfu = await SfuSession.StartAsync(SrtpProfilePreference.GcmOnly, VideoCodecPreference.Vp8);
        var (publisher, _) = await sfu.PublishAsync(browser, "r1", "teacher");
        var (subscriber, _) = await sfu.SubscribeAsync(browser, "r1", "student");
        var room = sfu.Room("r1");

        // Past the estimator's 5 s initialisation, so the layer rules are live while we look.
        var (ok, stats) = await InboundStats.PollAsync(() => Task.FromResult<MediaPeerStats?>(room.GetStats().SingleOrDefault(s => s.PeerId == "student")),
            s => s is { EstimateSource: "transport-cc", EstimatedBitrateBps: > 100_000 }, TimeSpan.FromSeconds(20));
        Assert.True(ok, $"{stats}; {sfu.Server.Diagnostics()}");
        var (decoding, first) = await InboundStats.PollAsync(() => InboundStats.VideoAsync(subscriber), v => v is { FramesDecoded: > 10 }, TimeSpan.FromSeconds(10));
        Assert.True(decoding, $"{first}");
        // ~200 more frames (about 7 s of the fake camera) carry the watch past the estimator's 5 s initialisation.
        var (more, later) = await InboundStats.PollAsync(() => InboundStats.VideoAsync(subscriber), v => v!.FramesDecoded > first!.FramesDecoded + 200,
            TimeSpan.FromSeconds(30));
        Assert.True(more, $"video stopped: {first} → {later}; {sfu.Server.Diagnostics()}");
        Assert.False(room.GetStats().Single(s => s.PeerId == "student").VideoPaused, sfu.Server.Diagnostics());
        await subscriber.CloseAsync();
        await publisher.CloseAsync();
    }
}
