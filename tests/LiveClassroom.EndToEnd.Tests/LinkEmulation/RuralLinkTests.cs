using System.Diagnostics;
using LiveClassroom.EndToEnd.Tests.Harness;
using LiveClassroom.Testing.Network;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests.LinkEmulation;

/// <summary>
/// Rural links (issue #15): a projector in a network namespace behind a rate cap, random loss or outages, the
/// teacher on a clean path, and a second projector on a clean path. Functional outcomes are asserted; speed figures
/// are printed only (docs/RURAL-LINKS.md).
/// </summary>
[Collection(LinkEmulationCollection.Name)]
public sealed class RuralLinkTests(LinkEmulationFixture fx, ITestOutputHelper output)
{
    [Fact]
    public async Task Projector_300KbpsAndFivePercentLoss_StillDecodesAndHears_CleanProjectorUnharmed()
    {
        await using var link = await NetworkNamespace.CreateAsync();
        await link.RateCapAsync(downKbps: 300, upKbps: 300);
        await link.DropRandomUdpAsync(5);
        await using var server = await ServerProcess.StartAsync(linkAddress: link.HostAddress);
        await using var room = await LinkRoom.OpenAsync(fx.Playwright, server, link, fx.NextTag());

        var window = await room.MeasureAsync(TimeSpan.FromSeconds(20), output, "300 kbps + 5 % loss");

        Assert.True(window.Bad.Fps > 0, $"the projector on 300 kbps + 5 % loss decoded no frame in {window.Bad.Seconds:0} s: {window.Bad}");
        Assert.True(window.Bad.AudioPackets > 0, $"the projector on 300 kbps + 5 % loss received no audio: {window.Bad}");
        Assert.True(window.Clean.Fps >= 1, $"the clean projector fell to {window.Clean.Fps:0.0} fps while the other sat on 300 kbps: {window.Clean}");

        // The SFU answers the projector's NACKs on the RTX stream its answer paired with the video (RFC 4588): Chrome
        // counts the payload bytes of packets restored from RTX as retransmitted (padding-only probes carry none), a repeat
        // on the media SSRC never.
        var repairs = await room.Projector.Page.EvaluateAsync<double[]>("""
            async () => {
              let nacks = 0, packets = 0, bytes = 0;
              (await window.lcLive.media.pc.getStats()).forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') { nacks += s.nackCount ?? 0; packets += s.retransmittedPacketsReceived ?? 0; bytes += s.retransmittedBytesReceived ?? 0; }
              });
              return [nacks, packets, bytes];
            }
            """);
        output.WriteLine($"projector on 300 kbps + 5 % loss: {repairs[0]:0} NACKed; RTX: {repairs[1]:0} packets (probes included), {repairs[2]:0} payload bytes");
        Assert.True(repairs[0] > 0, "the projector on a 5 % loss link sent no NACK");
        Assert.True(repairs[2] > 0, $"the projector sent {repairs[0]:0} NACKs and restored no payload from RTX ({repairs[1]:0} RTX packets)");

        // RED (RFC 2198) end to end: the SFU's answer lists red first, so the teacher sends it; the SFU forwards it whole;
        // each packet brings the jitter buffer a redundant block, which it discards when it already has that frame
        // (counted in packetsDiscarded; fecPacketsReceived never counts RED). On the clean projector, then, about one
        // discard per packet received; without RED none.
        var cleanAudio = await LinkSample.ReadAsync(room.Clean.Page);
        output.WriteLine($"clean projector: {cleanAudio.AudioPackets} audio packets received, {cleanAudio.Audio.Discarded} discarded by the jitter buffer");
        Assert.True(cleanAudio.AudioPackets > 100 && cleanAudio.Audio.Discarded * 2 > cleanAudio.AudioPackets,
            $"no RED blocks reach the clean projector: {cleanAudio.Audio.Discarded} discarded of {cleanAudio.AudioPackets} audio packets received [{cleanAudio.Audio.Codec}]");

        // The teacher's console shows each classroom's link as the SFU measures it.
        var figures = room.Teacher.Page.GetByTestId("link-figures");
        await Expect(figures).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Expect(figures.First).ToContainTextAsync("kbps");
        foreach (var text in await figures.AllTextContentsAsync())
        {
            output.WriteLine($"console tile: {text}");
        }
    }

    [Fact]
    public async Task Projector_FifteenSecondOutage_VideoComesBackByItself()
    {
        await using var link = await NetworkNamespace.CreateAsync();
        await using var server = await ServerProcess.StartAsync(linkAddress: link.HostAddress);
        await using var room = await LinkRoom.OpenAsync(fx.Playwright, server, link, fx.NextTag());
        var page = room.Projector.Page;
        page.Context.SetDefaultTimeout(60_000);

        // Two in a row: a second outage once ended on a fresh peer connection that decoded nothing (issue #15).
        for (var outage = 1; outage <= 2; outage++)
        {
            await link.StartOutageAsync();
            var back = await EndOutageThenVideoBackAsync(link, page, Stopwatch.StartNew(), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(90));
            output.WriteLine($"outage {outage}: 15 s; video back (10 new frames) {back.TotalSeconds:0.0} s after the link returned");
        }
        room.Teacher.AssertNoConsoleErrors();
    }

    /// <summary>
    /// The hub's connection goes down in the outage too (here: closed by the page while the link is down), so the ICE
    /// restart the page wants then cannot be carried and is held until the hub has joined again: the page keeps its peer connection (which recovers by itself once
    /// the link is back) instead of building a fresh one, which needs a new DTLS handshake and the hub back first
    /// (issue #15: the 5.3 s outage came back on a fresh peer connection).
    /// </summary>
    [Fact]
    public async Task Projector_HubLostDuringOutage_KeepsItsPeerConnection_VideoComesBack()
    {
        await using var link = await NetworkNamespace.CreateAsync();
        await using var server = await ServerProcess.StartAsync(linkAddress: link.HostAddress);
        await using var room = await LinkRoom.OpenAsync(fx.Playwright, server, link, fx.NextTag());
        var page = room.Projector.Page;
        page.Context.SetDefaultTimeout(60_000);
        await ClassMedia.WaitFramesAsync(page, "main", 10, TimeSpan.FromSeconds(60));
        await page.EvaluateAsync("() => { window.lcLive.media.pc.__beforeOutage = true; }");

        await link.StartOutageAsync();
        var down = Stopwatch.StartNew();
        await PageWait.UntilAsync(page, "() => window.lcLive.media.state === 'disconnected'", null, TimeSpan.FromSeconds(14));
        await page.EvaluateAsync("() => { void window.lcLive.hub.conn?.stop(); }");
        // The ICE restart the page starts 3 s after "disconnected" is held: no hub to carry it (the hub's rejoin asks
        // for it again).
        await PageWait.UntilAsync(page, "() => window.lcLive.media.heldForHub > 0", null, TimeSpan.FromSeconds(14));
        var back = await EndOutageThenVideoBackAsync(link, page, down, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(60));
        output.WriteLine($"hub lost in a 15 s outage: video back (10 new frames) {back.TotalSeconds:0.0} s after the link returned");

        Assert.True(await page.EvaluateAsync<bool>("() => window.lcLive.media.pc.__beforeOutage === true"),
            $"the projector came back on a fresh peer connection: {await ClassMedia.StateAsync(page)}");
        await PageWait.UntilAsync(page, "() => window.lcLive.hub.status === 'connected'", null, TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// A 35 s outage: longer than the SFU's 30 s consent timeout (RFC 7675 §5.1), so the SFU drops the projector's peer
    /// and the page needs the hub to start over; and long enough that the hub's TCP stream, which had unanswered
    /// segments in the outage, resumes only at its next doubled retransmission (RFC 6298 §5.5), 20–24 s after the link
    /// returned in OutageFigures. The page finds its hub stuck while the server answers a fresh request
    /// (hub/stallWatch.ts), connects again at once, and the video comes back on a fresh peer connection.
    /// </summary>
    [Fact]
    public async Task Projector_OutagePastTheConsentTimeout_StuckHubIsReplaced_VideoComesBack()
    {
        await using var link = await NetworkNamespace.CreateAsync();
        await using var server = await ServerProcess.StartAsync(linkAddress: link.HostAddress);
        await using var room = await LinkRoom.OpenAsync(fx.Playwright, server, link, fx.NextTag());
        var page = room.Projector.Page;
        page.Context.SetDefaultTimeout(60_000);
        await ClassMedia.WaitFramesAsync(page, "main", 10, TimeSpan.FromSeconds(60));

        await link.StartOutageAsync();
        var back = await EndOutageThenVideoBackAsync(link, page, Stopwatch.StartNew(), TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(60));
        output.WriteLine($"35 s outage: video back (10 new frames) {back.TotalSeconds:0.0} s after the link returned");

        Assert.True(await page.EvaluateAsync<int>("() => window.lcLive.hub.stallRestarts") >= 1,
            $"the projector's hub came back without being found stuck: {await ClassMedia.StateAsync(page)}");
        // Without the watch the stuck stream held the page's offer 20–24 s past the link's return (OutageFigures, 35 s).
        Assert.True(back < TimeSpan.FromSeconds(15), $"video came back {back.TotalSeconds:0.0} s after the link returned");
    }

    /// <summary>
    /// Audio-first across a hub rejoin: on 150 kbit/s the SFU pauses the teacher's video and the projector says so
    /// (网络较差，已切换为仅声音). Its hub is then replaced, as the stall watch does when the saturated link keeps it silent
    /// (RuralLinkFigures, 150 kbit/s: 5 s into the pause), while the link stays capped: the notice must not go away — the
    /// page keeps the SFU's word on its peer connection, and the server says it again once the rejoined page negotiates
    /// (a notice lost on the old connection is not lost for good) — and the video stays paused. Then the cap is lifted:
    /// the notice goes and frames decode again.
    /// </summary>
    [Fact]
    public async Task Projector_150KbpsAudioOnly_HubReplaced_NoticeStays_GoesWhenTheLinkReturns()
    {
        await using var link = await NetworkNamespace.CreateAsync();
        await using var server = await ServerProcess.StartAsync(linkAddress: link.HostAddress);
        await using var room = await LinkRoom.OpenAsync(fx.Playwright, server, link, fx.NextTag());
        var page = room.Projector.Page;
        page.Context.SetDefaultTimeout(60_000);
        await ClassMedia.WaitFramesAsync(page, "main", 10, TimeSpan.FromSeconds(60));
        var notice = page.GetByTestId("audio-only");
        await Expect(notice).ToBeHiddenAsync();

        await link.RateCapAsync(downKbps: 150, upKbps: 150);
        var capped = Stopwatch.StartNew();
        await Expect(notice).ToBeVisibleAsync(new() { Timeout = 60_000 });
        output.WriteLine($"150 kbps: audio-only notice shown {capped.Elapsed.TotalSeconds:0.0} s after the cap");
        await Expect(notice).ToContainTextAsync("网络较差，已切换为仅声音");

        // The SFU's word on the projector's video (the server logs every notice it relays): counted before and after the rejoin.
        var resumedLine = $"participant {room.ProjectorDeviceId}'s video is now paused=False";
        int Resumes() => server.Log.Split('\n').Count(l => l.Contains(resumedLine, StringComparison.Ordinal));
        var resumesBefore = Resumes();

        // Mark the page's last notice (a value the server never sends) so a fresh one is told apart, watch whether the
        // notice ever leaves the page, and drop the hub as the stall watch does (conn.stop(): onclose starts over).
        var framesBefore = await ClassMedia.FramesAsync(page, "main");
        await page.EvaluateAsync("""
            () => {
              const hub = window.lcLive.hub;
              hub.mediaQuality = { ...hub.mediaQuality, estimateKbps: -1 };
              window.__noticeGone = 0;
              new MutationObserver(() => {
                if (!document.querySelector('[data-testid="audio-only"]')) window.__noticeGone++;
              }).observe(document.body, { childList: true, subtree: true });
              window.__oldHub = hub.conn;
              void hub.conn.stop();
            }
            """);
        var dropped = Stopwatch.StartNew();
        await PageWait.UntilAsync(page, "() => { const h = window.lcLive.hub; return h.conn !== window.__oldHub && h.status === 'connected'; }",
            null, TimeSpan.FromSeconds(30));
        var framesJoined = await ClassMedia.FramesAsync(page, "main");
        output.WriteLine($"hub replaced and joined again {dropped.Elapsed.TotalSeconds:0.0} s after it was dropped; frames {framesBefore} -> {framesJoined}");
        // The server repeats the SFU's last notice to the connection that now holds the peer (after its Negotiate).
        await PageWait.UntilAsync(page, "() => { const q = window.lcLive.hub.mediaQuality; return !!q && q.estimateKbps >= 0; }",
            null, TimeSpan.FromSeconds(20));
        var repeated = await page.EvaluateAsync<string>("() => JSON.stringify(window.lcLive.hub.mediaQuality)");
        output.WriteLine($"notice on the new hub connection {dropped.Elapsed.TotalSeconds:0.0} s after the drop: {repeated}");
        Assert.True(await page.EvaluateAsync<bool>("() => window.lcLive.hub.mediaQuality.paused === true"),
            $"the new hub connection was told the video is not paused on a 150 kbps link: {repeated}");
        await Expect(notice).ToBeVisibleAsync();
        var gone = await page.EvaluateAsync<int>("() => window.__noticeGone");
        Assert.True(gone == 0, $"the audio-only notice left the page {gone} times while the hub was replaced (the video stayed paused)");
        // Still paused: the SFU did not resume the projector's video over the rejoin (its ICE restart once did, through the
        // class's re-sent routes). Frames are printed, not asserted: some still decode while paused (0-34 over the ~10 s
        // of the rejoin in five runs, against 10-20 a second flowing), not traced yet.
        var framesAfter = await ClassMedia.FramesAsync(page, "main");
        foreach (var line in server.Log.Split('\n').Where(l => l.Contains("video is now paused", StringComparison.Ordinal)))
        {
            output.WriteLine($"server: {line.Trim()}");
        }
        output.WriteLine($"frames decoded: {framesBefore} when the hub was dropped, {framesJoined} when it had joined again, {framesAfter} after the repeated notice");
        Assert.True(Resumes() == resumesBefore, $"the SFU resumed the projector's video on a 150 kbps link during the hub's rejoin: {await ClassMedia.StateAsync(page)}");

        await link.RemoveRateCapAsync();
        var lifted = Stopwatch.StartNew();
        await Expect(notice).ToBeHiddenAsync(new() { Timeout = 60_000 });
        output.WriteLine($"cap lifted: audio-only notice gone {lifted.Elapsed.TotalSeconds:0.0} s later");
        var back = await ClassMedia.WaitFramesAsync(page, "main", await ClassMedia.FramesAsync(page, "main") + 10, TimeSpan.FromSeconds(60));
        output.WriteLine($"cap lifted: video back (10 new frames) {back.TotalSeconds:0.0} s after the notice went");
    }

    /// <summary>
    /// Ends the outage that began when <paramref name="down"/> started once it has lasted <paramref name="length"/>, and
    /// returns how long the projector's main slot then takes to decode 10 new frames (fails past <paramref name="limit"/>).
    /// </summary>
    private static async Task<TimeSpan> EndOutageThenVideoBackAsync(NetworkNamespace link, IPage page, Stopwatch down, TimeSpan length, TimeSpan limit)
    {
        while (down.Elapsed < length)
        {
            await Task.Delay(500);
        }
        await link.EndOutageAsync();
        var before = await ClassMedia.FramesAsync(page, "main");
        return await ClassMedia.WaitFramesAsync(page, "main", before + 10, limit);
    }
}
