namespace LiveClassroom.Media.Tests.Sfu.Layers;

/// <summary>
/// The downlink estimate (transport-cc feedback from a subscriber behind an emulated bottleneck) choosing the simulcast
/// layer, pausing video below the lowest layer while audio goes on (audio-first), and probing back up: real packets
/// through a real MediaServer on loopback.
/// </summary>
public sealed class AudioFirstTests : IDisposable
{
    private readonly LayerRoom _r = new("layers");

    private IEnumerable<MediaQualityEventArgs> Events => _r.Events.Select(e => e.Event);

    private MediaPeerStats Subscriber => _r.Subscriber;

    [Fact]
    public void Estimate_LinkNarrowsThenCollapsesThenRecovers_LayerFollows_VideoPausesWithAudioGoingOn_AndResumesByItself()
    {
        // A wide link: feedback flows, the estimate settles and the top layer stays.
        _r.Downlink.CapacityBps = 20_000_000;
        Assert.True(Wait(() => Subscriber is { EstimateSource: "transport-cc", VideoPaused: false, ReceivedLayer: "f" } && _r.Downlink.Video(2) > 100
            && Subscriber.EstimatedBitrateBps > 1_000_000, 30), Describe());

        // 650 kbps: the queue grows, over-use cuts the estimate, and the slot drops below the top layer at once.
        _r.Downlink.CapacityBps = 650_000;
        Assert.True(Wait(() => Subscriber.ReceivedLayer is "h" or "q" && !Subscriber.VideoPaused, 30), Describe());
        // The estimate settles below the link's old rate (read at one instant it may sit a probe's or a loss-based step
        // above it: CI read 1,021,025 just after the switch to h at 972,405 on a loaded machine).
        Assert.True(Wait(() => Subscriber.EstimatedBitrateBps < 1_000_000, 20), Describe());

        // 90 kbps cannot carry even the ~150 kbps lowest layer: video pauses, audio goes on.
        _r.Downlink.CapacityBps = 90_000;
        Assert.True(Wait(() => Subscriber.VideoPaused, 30), Describe());
        // Events are raised on the server's dispatcher, a moment after the state changed.
        Assert.True(Wait(() => Events.Any(e => e.PeerId == "sub" && e.VideoPaused && e.Layer is null), 10), Describe());
        var video = _r.Downlink.VideoTotal;
        var audio = _r.Downlink.Audio;
        Assert.True(Wait(() => _r.Downlink.Audio > audio + 60, 20), $"audio stopped while paused; {Describe()}");
        // A few packets already in flight when the pause began may still arrive; no more than that.
        Assert.InRange(_r.Downlink.VideoTotal - video, 0, 20);

        // The link comes back: probes (padding on the slot's RTX SSRC) find the room, and video resumes by itself.
        var padding = _r.Downlink.Padding;
        _r.Downlink.CapacityBps = 20_000_000;
        Assert.True(Wait(() => !Subscriber.VideoPaused && _r.Downlink.VideoTotal > video + 100, 40), Describe());
        Assert.True(_r.Downlink.Padding > padding, "video resumed without a probe");
        var pausedAt = Events.ToList().FindIndex(e => e.VideoPaused);
        Assert.True(Wait(() => Events.Skip(pausedAt + 1).Any(e => e.PeerId == "sub" && !e.VideoPaused && e.Layer is not null), 10), Describe());
    }

    [Fact]
    public void Estimate_QueueGrowsWithoutLoss_DelayBasedRateBelowTheLowestLayer_VideoNeverPauses()
    {
        _r.Downlink.CapacityBps = 20_000_000;
        Assert.True(Wait(() => Subscriber is { EstimateSource: "transport-cc", VideoPaused: false } && _r.Downlink.Video(2) > 100, 30), Describe());

        // A queue that never drops: every packet arrives, later and later (a loaded machine, a long buffer). The
        // delay-based rate falls far below the lowest layer, and the loss-based one, capped at twice the delay-based,
        // with it; no packet is lost, so the video keeps its lowest layer.
        _r.Downlink.MaxQueueUs = 600_000_000;
        _r.Downlink.CapacityBps = 60_000;
        Assert.True(Wait(() => Subscriber.EstimatedBitrateBps < 120_000 && Subscriber.ReceivedLayer == "q", 30), Describe());
        var video = _r.Downlink.VideoTotal;
        // Well past the 3 s an estimate must stay low before video pauses.
        Assert.False(Wait(() => Subscriber.VideoPaused || Events.Any(e => e.PeerId == "sub" && e.VideoPaused), 10), $"paused at 0 % loss; {Describe()}");
        Assert.True(Subscriber.EstimatedBitrateBps < 150_000, Describe());
        Assert.True(_r.Downlink.VideoTotal > video + 100, Describe());
    }

    [Fact]
    public void Nack_AnsweredFromTheCacheWhileVideoFlows_NotWhileItIsPaused()
    {
        _r.Downlink.CapacityBps = 20_000_000;
        Assert.True(Wait(() => Subscriber is { EstimateSource: "transport-cc", VideoPaused: false } && _r.Downlink.LastVideo is not null, 30), Describe());
        // A packet the subscriber got, still in the SFU's cache: the NACK is answered while video flows.
        var (ssrc, sequence) = _r.Downlink.LastVideo!.Value;
        var answered = Subscriber.Retransmissions;
        _r.Downlink.SendNack(ssrc, sequence);
        Assert.True(Wait(() => Subscriber.Retransmissions > answered, 10), $"a NACK while flowing was not answered; {Describe()}");

        _r.Downlink.CapacityBps = 90_000;
        Assert.True(Wait(() => Subscriber.VideoPaused, 30), Describe());
        (ssrc, sequence) = _r.Downlink.LastVideo!.Value;
        answered = Subscriber.Retransmissions;
        var dropped = Subscriber.NacksDropped;
        _r.Downlink.SendNack(ssrc, sequence);
        // Read by the SFU (counted one way or the other), and not resent.
        Assert.True(Wait(() => Subscriber.NacksDropped > dropped || Subscriber.Retransmissions > answered, 10), $"the NACK was not read; {Describe()}");
        Assert.True(Subscriber.Retransmissions == answered, $"a paused video's NACK was answered from the cache; {Describe()}");
        Assert.True(Subscriber.NacksDropped > dropped, Describe());
    }

    [Fact]
    public void Forward_AudioSlotNegotiatedTransportCc_AudioIsStampedSoTheEstimateCoversIt()
    {
        // The subscriber's offer carries the transport-wide extension on its audio m-section, as Chrome's does: the SFU
        // stamps the audio it forwards, and the feedback reports it (a 300 kbps rural link paused video when the
        // estimate was measured on video alone and the audio's share was then taken off it).
        _r.Downlink.CapacityBps = 20_000_000;
        Assert.True(Wait(() => _r.Downlink.StampedAudio > 100 && Subscriber.EstimateSource == "transport-cc", 20), Describe());
        // Every audio packet is stamped (read while packets flow: the two counters may be a packet apart).
        var audio = _r.Downlink.Audio;
        Assert.True(_r.Downlink.StampedAudio >= audio - 1, $"{_r.Downlink.StampedAudio} of {audio} audio packets stamped");
    }

    /// <summary>
    /// A hub rejoin: the page's new signalling connection asks the SFU to say again what it last said of the subscriber's
    /// downlink (the server relays it as <c>MediaQuality</c>). Nothing for a peer never reported (the publisher has no
    /// receive slot) nor for an unknown one.
    /// </summary>
    [Fact]
    public void RepeatMediaQuality_AfterAReport_RaisesItAgain_NothingForAPeerNeverReportedOrUnknown()
    {
        _r.Downlink.CapacityBps = 20_000_000;
        Assert.True(Wait(() => Subscriber.ReceivedLayer == "f" && Events.LastOrDefault(e => e.PeerId == "sub") is { VideoPaused: false, Layer: "f" }, 30), Describe());
        Assert.False(_r.Room.RepeatMediaQuality("pub"));
        Assert.False(_r.Room.RepeatMediaQuality("nobody"));
        var before = _r.Events.Count;

        Assert.True(_r.Room.RepeatMediaQuality("sub"));

        Assert.True(Wait(() => Events.Skip(before).Any(e => e is { PeerId: "sub", VideoPaused: false, Layer: "f" }), 5), Describe());
    }

    private string Describe() => _r.Describe();

    private static bool Wait(Func<bool> condition, double seconds) => LayerRoom.Wait(condition, seconds);

    public void Dispose() => _r.Dispose();
}
