using System.Diagnostics;
using LiveClassroom.Media.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LiveClassroom.Media.EndToEnd.Tests;

/// <summary>Chromium publishes camera + microphone through the SFU; Chromium subscribers decode. One browser per class.</summary>
public sealed class ForwardingTests : IClassFixture<ChromiumBrowser>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    private readonly ChromiumBrowser _browser;
    private readonly ITestOutputHelper _output;

    public ForwardingTests(ChromiumBrowser browser, ITestOutputHelper output)
    {
        _browser = browser;
        _output = output;
    }

    [Theory]
    [InlineData(SrtpProfilePreference.GcmOnly, VideoCodecPreference.Vp8, "video/VP8")]
    [InlineData(SrtpProfilePreference.CmHmacSha1Only, VideoCodecPreference.H264, "video/H264")]
    public async Task OnePublisherThreeSubscribers_AllDecodeVideoAndReceiveAudio(SrtpProfilePreference srtp, VideoCodecPreference codec, string mime)
    {
        await using var sfu = await SfuSession.StartAsync(srtp, codec);
        var (publisher, publisherMids) = await sfu.PublishAsync(_browser, "r1", "teacher");
        var tapped = 0;
        RtpCodec? tappedCodec = null;
        var badVersion = 0;
        using var tap = sfu.Room("r1").Tap("teacher", publisherMids[1], (packet, c) =>
        {
            Interlocked.Increment(ref tapped);
            tappedCodec = c;
            if (packet.Length < 12 || packet[0] >> 6 != 2 || (packet[1] & 0x7F) != c.PayloadType)
            {
                Interlocked.Increment(ref badVersion);
            }
        });
        var subscribers = new List<IPage>();
        for (var i = 0; i < 3; i++)
        {
            subscribers.Add((await sfu.SubscribeAsync(_browser, "r1", $"student{i}")).Page);
        }

        foreach (var page in subscribers)
        {
            var (videoOk, video) = await InboundStats.PollAsync(() => InboundStats.VideoAsync(page), v => v is { FramesDecoded: > 10 }, Deadline);
            var (audioOk, audio) = await InboundStats.PollAsync(() => InboundStats.AudioAsync(page), a => a is { PacketsReceived: > 0 }, Deadline);
            Assert.True(videoOk, $"video not decoding: {video}; {sfu.Server.Diagnostics()}");
            Assert.True(audioOk, $"audio not received: {audio}");
            Assert.Equal(mime, video!.Codec, StringComparer.OrdinalIgnoreCase);
            // Audio and video of the first slots share a MediaStream, so Chrome lip-syncs them with the translated SRs.
            var streams = await page.EvaluateAsync<string[]>("() => [lc.streams.audio, lc.streams.video]");
            Assert.False(string.IsNullOrEmpty(streams[0]));
            Assert.Equal(streams[0], streams[1]);
        }
        // Per-peer stats: RTT from the subscribers' receiver reports on our regenerated SRs, bitrates both ways.
        var room = sfu.Room("r1");
        var (statsOk, stats) = await InboundStats.PollAsync(() => Task.FromResult<IReadOnlyList<MediaPeerStats>?>(room.GetStats()),
            all => all!.All(s => s.State == "connected")
                && all!.Single(s => s.PeerId == "teacher").InboundBitrateBps > 100_000
                && all!.Where(s => s.PeerId != "teacher").All(s => s.RoundTripTimeMs > 0 && s.OutboundBitrateBps > 100_000 && s.ReceivedLayer == "single"),
            Deadline);
        Assert.True(statsOk, string.Join("; ", stats ?? []));
        // The recorder's tap sees the publisher's plain RTP with the negotiated codec.
        Assert.True(Volatile.Read(ref tapped) > 50);
        Assert.Equal(0, Volatile.Read(ref badVersion));
        Assert.Equal(mime, "video/" + tappedCodec!.Name, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(90000, tappedCodec.ClockRate);
        await ClosePagesAsync([publisher, .. subscribers]);
    }

    [Theory]
    [InlineData(SrtpProfilePreference.GcmOnly)]
    [InlineData(SrtpProfilePreference.CmHmacSha1Only)]
    public async Task LateSubscriber_JoinsTenSecondsLate_DecodesWithinFiveSeconds(SrtpProfilePreference srtp)
    {
        await using var sfu = await SfuSession.StartAsync(srtp, VideoCodecPreference.Vp8);
        var (publisher, _) = await sfu.PublishAsync(_browser, "r1", "teacher");
        var (early, _) = await sfu.SubscribeAsync(_browser, "r1", "early");
        Assert.True((await InboundStats.PollAsync(() => InboundStats.VideoAsync(early), v => v is { FramesDecoded: > 0 }, Deadline)).Ok);
        var joinAt = Stopwatch.StartNew();
        while (joinAt.Elapsed < TimeSpan.FromSeconds(10))
        {
            // The early subscriber keeps decoding while we wait: the wait itself is checked, not slept through.
            Assert.Equal("connected", await early.EvaluateAsync<string>("() => lc.state()"));
            await Task.Delay(500);
        }

        var clock = Stopwatch.StartNew();
        var (late, _) = await sfu.SubscribeAsync(_browser, "r1", "late");
        var (ok, video) = await PollFastAsync(late, v => v is { FramesDecoded: > 0 }, Deadline);
        var firstFrame = clock.Elapsed;

        Assert.True(ok, $"late subscriber not decoding: {video}; {sfu.Server.Diagnostics()}");
        var connectedMs = await late.EvaluateAsync<double?>("() => lc.connectedAt");
        _output.WriteLine($"late subscriber ({srtp}): first decoded frame after {firstFrame.TotalMilliseconds:F0} ms (ICE+DTLS connected after {connectedMs:F0} ms of it)");
        await File.AppendAllTextAsync(Path.Combine(Path.GetTempPath(), "lc-sfu-ttff.txt"),
            $"{DateTime.UtcNow:O} {srtp} first frame {firstFrame.TotalMilliseconds:F0} ms, connected {connectedMs:F0} ms, {video}\n");
        await ClosePagesAsync([publisher, early, late]);
    }

    [Theory]
    [InlineData(SrtpProfilePreference.GcmOnly, VideoCodecPreference.Vp8)]
    [InlineData(SrtpProfilePreference.CmHmacSha1Only, VideoCodecPreference.H264)]
    public async Task Route_SwitchSlotToAnotherPublisher_VideoKeepsDecoding(SrtpProfilePreference srtp, VideoCodecPreference codec)
    {
        await using var sfu = await SfuSession.StartAsync(srtp, codec);
        var (teacher, teacherMids) = await sfu.PublishAsync(_browser, "r1", "teacher");
        var (student, mids) = await sfu.SubscribeAsync(_browser, "r1", "student");
        var (classroom, classroomMids) = await sfu.PublishAsync(_browser, "r1", "classroom");
        var room = sfu.Room("r1");
        var videoSlot = mids[1];
        Assert.True((await InboundStats.PollAsync(() => InboundStats.VideoAsync(student), v => v is { FramesDecoded: > 10 }, Deadline)).Ok);
        Assert.StartsWith("teacher/", room.Engine.CurrentSource("student", videoSlot), StringComparison.Ordinal);

        room.Route("student", videoSlot, new MediaTrackSource("classroom", classroomMids[1]));
        var switched = await InboundStats.PollAsync(() => Task.FromResult(room.Engine.CurrentSource("student", videoSlot)),
            s => s?.StartsWith("classroom/", StringComparison.Ordinal) == true, Deadline);
        Assert.True(switched.Ok, $"slot still on {switched.Last}; {sfu.Server.Diagnostics()}");
        var atSwitch = (await InboundStats.VideoAsync(student))!;
        var (ok, after) = await InboundStats.PollAsync(() => InboundStats.VideoAsync(student),
            v => v is not null && v.FramesDecoded > atSwitch.FramesDecoded + 30, Deadline);

        Assert.True(ok, $"decoding stalled after the switch: {atSwitch} → {after}");
        Assert.Equal("connected", await student.EvaluateAsync<string>("() => lc.state()"));
        _ = teacherMids;
        await ClosePagesAsync([teacher, student, classroom]);
    }

    [Theory]
    [InlineData(SrtpProfilePreference.GcmOnly)]
    [InlineData(SrtpProfilePreference.CmHmacSha1Only)]
    public async Task Route_SimulcastLowThenHighLayer_DecodedWidthFollows(SrtpProfilePreference srtp)
    {
        await using var sfu = await SfuSession.StartAsync(srtp, VideoCodecPreference.Vp8);
        var (teacher, teacherMids) = await sfu.PublishAsync(_browser, "r1", "teacher", simulcast: true);
        var (student, mids) = await sfu.SubscribeAsync(_browser, "r1", "student");
        var room = sfu.Room("r1");

        room.Route("student", mids[1], new MediaTrackSource("teacher", teacherMids[1], "q"));
        var (lowOk, low) = await InboundStats.PollAsync(() => InboundStats.VideoAsync(student), v => v is { FramesDecoded: > 5, FrameWidth: > 0 and <= 400 }, TimeSpan.FromSeconds(8));
        Assert.True(lowOk, $"low layer not decoded: {low}; {sfu.Server.Diagnostics()}");

        // Chromium sends its top layer only once its own estimate of the uplink carries all three: on a loaded machine its
        // outbound stats said "limitation: bandwidth" with one "f" packet sent after 20 s (CI, 2026-12-06). The SFU can
        // forward the layer only once it is sent, so the switch is asked for then.
        var (topOk, top) = await InboundStats.PollAsync(
            () => teacher.EvaluateAsync<string?>("async () => JSON.stringify(await lc.outbound())"), TopLayerSent, TimeSpan.FromSeconds(45));
        Assert.True(topOk, $"the publisher never sent its top layer: {top}");
        room.Route("student", mids[1], new MediaTrackSource("teacher", teacherMids[1], "f"));
        var (highOk, high) = await InboundStats.PollAsync(() => InboundStats.VideoAsync(student), v => v is { FrameWidth: >= 1000 }, TimeSpan.FromSeconds(10));
        Assert.True(highOk, $"high layer not decoded: {high}; publisher: {await teacher.EvaluateAsync<string>("async () => JSON.stringify(await lc.outbound())")}");

        room.Route("student", mids[1], new MediaTrackSource("teacher", teacherMids[1], "q"));
        var (backOk, back) = await InboundStats.PollAsync(() => InboundStats.VideoAsync(student), v => v is { FrameWidth: > 0 and <= 400 }, Deadline);
        Assert.True(backOk, $"back to the low layer failed: {back}");
        var layer = room.GetStats().Single(s => s.PeerId == "student").ReceivedLayer;
        Assert.Equal("q", layer);
        await ClosePagesAsync([teacher, student]);
    }

    [Theory]
    [InlineData(SrtpProfilePreference.GcmOnly)]
    [InlineData(SrtpProfilePreference.CmHmacSha1Only)]
    public async Task PublisherLeaves_SubscribersAreToldThroughTheirSignaling(SrtpProfilePreference srtp)
    {
        await using var sfu = await SfuSession.StartAsync(srtp, VideoCodecPreference.Vp8);
        var (teacher, _) = await sfu.PublishAsync(_browser, "r1", "teacher");
        var (s1, _) = await sfu.SubscribeAsync(_browser, "r1", "s1");
        var (s2, _) = await sfu.SubscribeAsync(_browser, "r1", "s2");
        Assert.True((await InboundStats.PollAsync(() => InboundStats.VideoAsync(s2), v => v is { FramesDecoded: > 0 }, Deadline)).Ok);

        await teacher.EvaluateAsync("() => lc.leave()");

        await AssertToldAsync(sfu, [s1, s2], Deadline);
        await ClosePagesAsync([teacher, s1, s2]);
    }

    [Theory]
    [InlineData(SrtpProfilePreference.GcmOnly)]
    [InlineData(SrtpProfilePreference.CmHmacSha1Only)]
    public async Task Renegotiate_PublisherAddsASecondCamera_MidsStayAndBothSlotsDecode(SrtpProfilePreference srtp)
    {
        await using var sfu = await SfuSession.StartAsync(srtp, VideoCodecPreference.Vp8);
        var published = new List<string>();
        sfu.Server.TrackPublished += (_, e) =>
        {
            lock (published)
            {
                published.Add($"{e.PeerId}/{e.Mid}/{e.Kind}");
            }
        };
        var (teacher, before) = await sfu.PublishAsync(_browser, "r1", "teacher");
        var (student, slots) = await sfu.SubscribeAsync(_browser, "r1", "student", videoSlots: 2);
        Assert.True((await InboundStats.PollAsync(() => VideoOfMid(student, slots[1]), v => v is { FramesDecoded: > 10 }, Deadline)).Ok);

        var after = await teacher.EvaluateAsync<string[]>("() => lc.addCamera()");

        Assert.Equal(before, after[..before.Length]);
        var (announced, list) = await InboundStats.PollAsync(() =>
        {
            lock (published)
            {
                return Task.FromResult<string[]?>([.. published]);
            }
        }, l => l!.Contains($"teacher/{after[^1]}/video"), Deadline);
        Assert.True(announced, string.Join(", ", list ?? []));
        var first = (await VideoOfMid(student, slots[1]))!.FramesDecoded;
        var (secondOk, second) = await InboundStats.PollAsync(() => VideoOfMid(student, slots[2]), v => v is { FramesDecoded: > 10 }, Deadline);
        Assert.True(secondOk, $"second slot: {second}; {sfu.Server.Diagnostics()}");
        Assert.True((await InboundStats.PollAsync(() => VideoOfMid(student, slots[1]), v => v!.FramesDecoded > first + 10, Deadline)).Ok);
        await ClosePagesAsync([teacher, student]);
    }

    private static async Task<InboundStats?> VideoOfMid(IPage page, string mid)
    {
        foreach (var s in await InboundStats.ReadAsync(page))
        {
            if (s.Kind == "video" && s.Mid == mid)
            {
                return s;
            }
        }
        return null;
    }

    [Fact]
    public async Task IceTcpOnly_UdpCandidatesWithheld_SubscriberStillDecodes()
    {
        await using var sfu = await SfuSession.StartAsync(SrtpProfilePreference.PreferGcm, VideoCodecPreference.H264, iceTcpOnly: true);
        var (teacher, _) = await sfu.PublishAsync(_browser, "r1", "teacher");
        var (student, _) = await sfu.SubscribeAsync(_browser, "r1", "student");

        var (ok, video) = await InboundStats.PollAsync(() => InboundStats.VideoAsync(student), v => v is { FramesDecoded: > 10 }, TimeSpan.FromSeconds(8));

        Assert.True(ok, $"not decoding over ICE-TCP: {video}; {sfu.Server.Diagnostics()}");
        // Both peers' selected addresses are ICE-TCP connections (printed "sel=tcp:…").
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(sfu.Server.Diagnostics(), "sel=tcp:").Count);
        await ClosePagesAsync([teacher, student]);
    }

    [Fact]
    public async Task Negotiate_OfferFingerprintDoesNotMatchTheCertificate_PeerIsDropped()
    {
        await using var sfu = await SfuSession.StartAsync(SrtpProfilePreference.PreferGcm, VideoCodecPreference.Vp8);
        var gone = new TaskCompletionSource<string>();
        sfu.Server.PeerGone += (_, e) => gone.TrySetResult($"{e.PeerId}: {e.Reason}");
        sfu.TamperedPeers.Add("intruder");

        var (page, _) = await sfu.PublishAsync(_browser, "r1", "intruder");

        var reason = await gone.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("intruder: dtls failed", reason, StringComparison.Ordinal);
        Assert.Contains("fingerprint", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("intruder", sfu.Room("r1").PeerIds);
        await page.CloseAsync();
    }

    [Fact]
    public async Task SetPublisherAudioMuted_MutedThenUnmuted_AudioStopsThenFlowsAgain()
    {
        await using var sfu = await SfuSession.StartAsync(SrtpProfilePreference.PreferGcm, VideoCodecPreference.Vp8);
        var (teacher, _) = await sfu.PublishAsync(_browser, "r1", "teacher");
        var (student, _) = await sfu.SubscribeAsync(_browser, "r1", "student");
        Assert.True((await InboundStats.PollAsync(() => InboundStats.AudioAsync(student), a => a is { PacketsReceived: > 20 }, Deadline)).Ok);

        sfu.Room("r1").SetPublisherAudioMuted("teacher", true);
        // Muted: two readings 600 ms apart agree (about 30 Opus packets would have arrived in between otherwise).
        var (silent, _) = await InboundStats.PollAsync(async () =>
        {
            var before = (await InboundStats.AudioAsync(student))!.PacketsReceived;
            await Task.Delay(600);
            return (long?)((await InboundStats.AudioAsync(student))!.PacketsReceived - before);
        }, d => d == 0, Deadline);
        Assert.True(silent, "audio still flowing while muted");
        var video = (await InboundStats.VideoAsync(student))!.FramesDecoded;
        var mutedAt = (await InboundStats.AudioAsync(student))!.PacketsReceived;

        sfu.Room("r1").SetPublisherAudioMuted("teacher", false);
        var (resumed, audio) = await InboundStats.PollAsync(() => InboundStats.AudioAsync(student), a => a!.PacketsReceived > mutedAt + 20, Deadline);
        Assert.True(resumed, $"audio did not resume: {audio}");
        Assert.True((await InboundStats.VideoAsync(student))!.FramesDecoded > video);
        await ClosePagesAsync([teacher, student]);
    }

    [Fact]
    public async Task PublisherVanishes_ConsentExpires_SubscribersAreTold()
    {
        var consent = TimeSpan.FromSeconds(8);
        await using var sfu = await SfuSession.StartAsync(SrtpProfilePreference.PreferGcm, VideoCodecPreference.Vp8, consentTimeout: consent);
        var (teacher, _) = await sfu.PublishAsync(_browser, "r1", "teacher");
        var (s1, _) = await sfu.SubscribeAsync(_browser, "r1", "s1");
        Assert.True((await InboundStats.PollAsync(() => InboundStats.VideoAsync(s1), v => v is { FramesDecoded: > 0 }, Deadline)).Ok);

        // No signaling: the tab just disappears, so only ICE consent freshness can notice.
        await teacher.CloseAsync();

        await AssertToldAsync(sfu, [s1], consent + Deadline);
        await ClosePagesAsync([s1]);
    }

    private static async Task AssertToldAsync(SfuSession sfu, IPage[] pages, TimeSpan timeout)
    {
        foreach (var page in pages)
        {
            var (told, events) = await InboundStats.PollAsync<string[]>(async () => await page.EvaluateAsync<string[]>("() => lc.events"),
                e => e is not null && e.Any(x => x.StartsWith("gone teacher", StringComparison.Ordinal)) && e.Any(x => x.StartsWith("unpublished teacher", StringComparison.Ordinal)), timeout);
            Assert.True(told, $"events: {string.Join(", ", events ?? [])}; {sfu.Server.Diagnostics()}");
        }
        Assert.DoesNotContain("teacher", sfu.Room("r1").PeerIds);
    }

    /// <summary>The publisher's outbound stats (lc.outbound, JSON) show its "f" layer sent at full width.</summary>
    private static bool TopLayerSent(string? outbound)
    {
        if (outbound is null)
        {
            return false;
        }
        using var json = System.Text.Json.JsonDocument.Parse(outbound);
        return json.RootElement.EnumerateArray().Any(o =>
            o.GetProperty("rid").GetString() == "f" && o.GetProperty("frameWidth").GetInt32() >= 1000 && o.GetProperty("packetsSent").GetInt32() > 30);
    }

    private static async Task<(bool Ok, InboundStats? Last)> PollFastAsync(IPage page, Func<InboundStats?, bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        InboundStats? last = null;
        while (deadline.Elapsed < timeout)
        {
            last = await InboundStats.VideoAsync(page);
            if (condition(last))
            {
                return (true, last);
            }
            await Task.Delay(20);
        }
        return (false, last);
    }

    private static async Task ClosePagesAsync(IEnumerable<IPage> pages)
    {
        foreach (var page in pages)
        {
            await page.CloseAsync();
        }
    }
}
