using System.Diagnostics;
using LiveClassroom.Media.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LiveClassroom.Media.EndToEnd.Tests;

/// <summary>
/// A participant's page comes back on a new RTCPeerConnection (reload, new tab) under the same peer id while its old
/// page is still there (no DTLS close_notify, ICE consent not yet expired): the new page replaces the old peer at once.
/// Times until frames decode again are printed, never asserted.
/// </summary>
public sealed class PeerReplacementTests(ChromiumBrowser browser, ITestOutputHelper output) : IClassFixture<ChromiumBrowser>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Publisher_NewPageSamePeerId_SubscriberDecodesAgainAndTheTapFollows()
    {
        await using var sfu = await SfuSession.StartAsync(SrtpProfilePreference.PreferGcm, VideoCodecPreference.H264);
        var (oldTeacher, mids) = await sfu.PublishAsync(browser, "r1", "teacher");
        var (student, _) = await sfu.SubscribeAsync(browser, "r1", "student");
        Assert.True((await InboundStats.PollAsync(() => InboundStats.VideoAsync(student), v => v is { FramesDecoded: > 10 }, Deadline)).Ok,
            sfu.Server.Diagnostics());
        var tapped = 0L;
        using var tap = sfu.Room("r1").Tap("teacher", mids[1], (_, _) => Interlocked.Increment(ref tapped));
        // The old page stops sending (as a reloading page does) but keeps its peer connection open.
        await oldTeacher.EvaluateAsync("() => lc.pc.getSenders().forEach(s => s.track && s.track.stop())");
        var before = await StalledAsync(student);

        var clock = Stopwatch.StartNew();
        var (newTeacher, newMids) = await sfu.PublishAsync(browser, "r1", "teacher");
        var (ok, after) = await InboundStats.PollAsync(() => InboundStats.VideoAsync(student),
            v => v is not null && v.FramesDecoded > before.FramesDecoded + 10, Deadline);

        Assert.True(ok, $"the subscriber did not decode the new page: {before} → {after}; {sfu.Server.Diagnostics()}");
        output.WriteLine($"publisher replaced: subscriber decoding again {clock.Elapsed.TotalMilliseconds:F0} ms after the new page started publishing");
        Assert.Equal(mids, newMids);
        Assert.Equal("connected", await student.EvaluateAsync<string>("() => lc.state()"));
        var tappedAtReplacement = Interlocked.Read(ref tapped);
        Assert.True((await InboundStats.PollAsync(() => Task.FromResult<long?>(Interlocked.Read(ref tapped)), n => n > tappedAtReplacement + 50, Deadline)).Ok,
            "the recorder's tap did not follow the new track");
        Assert.Equal(["student", "teacher"], sfu.Room("r1").PeerIds.Order(StringComparer.Ordinal));
        await ClosePagesAsync([oldTeacher, newTeacher, student]);
    }

    [Fact]
    public async Task Subscriber_NewPageSamePeerId_DecodesAtOnceWhileTheOldPageStaysOpen()
    {
        await using var sfu = await SfuSession.StartAsync(SrtpProfilePreference.PreferGcm, VideoCodecPreference.H264);
        var (teacher, _) = await sfu.PublishAsync(browser, "r1", "teacher");
        var (oldStudent, _) = await sfu.SubscribeAsync(browser, "r1", "student");
        Assert.True((await InboundStats.PollAsync(() => InboundStats.VideoAsync(oldStudent), v => v is { FramesDecoded: > 10 }, Deadline)).Ok);

        var clock = Stopwatch.StartNew();
        var (newStudent, _) = await sfu.SubscribeAsync(browser, "r1", "student");
        var (ok, video) = await InboundStats.PollAsync(() => InboundStats.VideoAsync(newStudent), v => v is { FramesDecoded: > 10 }, Deadline);

        Assert.True(ok, $"the new page does not decode: {video}; {sfu.Server.Diagnostics()}");
        output.WriteLine($"subscriber replaced: first frames decoded {clock.Elapsed.TotalMilliseconds:F0} ms after the new page started");
        // The old page's media stopped: it no longer holds the peer.
        var (stopped, _) = await InboundStats.PollAsync(async () =>
        {
            var a = (await InboundStats.VideoAsync(oldStudent))!.FramesDecoded;
            await Task.Delay(600);
            return (long?)((await InboundStats.VideoAsync(oldStudent))!.FramesDecoded - a);
        }, d => d == 0, Deadline);
        Assert.True(stopped, "the replaced page still receives video");
        await ClosePagesAsync([teacher, oldStudent, newStudent]);
    }

    /// <summary>Waits until the subscriber's decoding has stopped (two readings 600 ms apart agree) and returns the figures.</summary>
    private static async Task<InboundStats> StalledAsync(IPage page)
    {
        var (ok, last) = await InboundStats.PollAsync(async () =>
        {
            var a = (await InboundStats.VideoAsync(page))!.FramesDecoded;
            await Task.Delay(600);
            var b = await InboundStats.VideoAsync(page);
            return b!.FramesDecoded == a ? b : null;
        }, v => v is not null, Deadline);
        Assert.True(ok, "the old page's video did not stop");
        return last!;
    }

    private static async Task ClosePagesAsync(IEnumerable<IPage> pages)
    {
        foreach (var page in pages)
        {
            await page.CloseAsync();
        }
    }
}
