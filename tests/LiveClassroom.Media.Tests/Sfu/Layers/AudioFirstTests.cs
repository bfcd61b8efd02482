using System.Collections.Concurrent;
using System.Net;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;

namespace LiveClassroom.Media.Tests.Sfu.Layers;

/// <summary>
/// The downlink estimate (transport-cc feedback from a subscriber behind an emulated bottleneck) choosing the simulcast
/// layer, pausing video below the lowest layer while audio goes on (audio-first), and probing back up: real packets
/// through a real MediaServer on loopback.
/// </summary>
public sealed class AudioFirstTests : IDisposable
{
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate("layers-test");
    private readonly MediaServer _server = new(new MediaServerOptions
    {
        BindAddress = IPAddress.Loopback,
        AdvertisedAddresses = [IPAddress.Loopback],
        VideoCodec = VideoCodecPreference.Vp8,
        ConsentTimeout = TimeSpan.FromMinutes(5),
        AdaptiveLayers = true,
    });
    private readonly ConcurrentQueue<MediaQualityEventArgs> _events = new();
    private readonly SyntheticPeer _publisherPeer;
    private readonly SyntheticPeer _subscriberPeer;
    private readonly SimulcastPublisher _publisher;
    private readonly EmulatedDownlink _downlink;
    private readonly MediaRoom _room;

    public AudioFirstTests()
    {
        _server.MediaQualityChanged += (_, e) => _events.Enqueue(e);
        _room = _server.CreateRoom("layers");
        _publisherPeer = new SyntheticPeer(Certificate, _server.LocalEndPoint, 16);
        _publisherPeer.Connect(_room.Negotiate("pub", _publisherPeer.Offer(true, SimulcastPublisher.AudioSsrc, 0, 0, rids: SimulcastPublisher.Rids)),
            SrtpProtectionProfileId.AeadAes128Gcm);
        _subscriberPeer = new SyntheticPeer(Certificate, _server.LocalEndPoint, 16);
        var answer = _room.Negotiate("sub", _subscriberPeer.Offer(false, 0, 0, 0, transportCc: true));
        Assert.Contains("a=rtcp-fb:96 transport-cc", answer, StringComparison.Ordinal);
        Assert.Contains("a=ssrc-group:FID", answer, StringComparison.Ordinal);
        _downlink = new EmulatedDownlink(_subscriberPeer);
        _subscriberPeer.Connect(answer, SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(Wait(() => _room.GetStats().Count(s => s.State == "connected") == 2, 20), _server.Diagnostics());
        _publisher = new SimulcastPublisher(_publisherPeer);
        Assert.True(Wait(() => _room.GetStats().Single(s => s.PeerId == "pub").IncomingStreams >= 4, 20), _server.Diagnostics());
        _room.Route("sub", "0", new MediaTrackSource("pub", "0"));
        _room.Route("sub", "1", new MediaTrackSource("pub", "1"));
    }

    private MediaPeerStats Subscriber => _room.GetStats().Single(s => s.PeerId == "sub");

    [Fact]
    public void Estimate_LinkNarrowsThenCollapsesThenRecovers_LayerFollows_VideoPausesWithAudioGoingOn_AndResumesByItself()
    {
        // A wide link: feedback flows, the estimate settles and the top layer stays.
        _downlink.CapacityBps = 20_000_000;
        Assert.True(Wait(() => Subscriber is { EstimateSource: "transport-cc", VideoPaused: false, ReceivedLayer: "f" } && _downlink.Video(2) > 100
            && Subscriber.EstimatedBitrateBps > 1_000_000, 30), Describe());

        // 650 kbps: the queue grows, over-use cuts the estimate, and the slot drops below the top layer at once.
        _downlink.CapacityBps = 650_000;
        Assert.True(Wait(() => Subscriber.ReceivedLayer is "h" or "q" && !Subscriber.VideoPaused, 30), Describe());
        Assert.True(Subscriber.EstimatedBitrateBps < 1_000_000, Describe());

        // 90 kbps cannot carry even the ~150 kbps lowest layer: video pauses, audio goes on.
        _downlink.CapacityBps = 90_000;
        Assert.True(Wait(() => Subscriber.VideoPaused, 30), Describe());
        // Events are raised on the server's dispatcher, a moment after the state changed.
        Assert.True(Wait(() => _events.Any(e => e.PeerId == "sub" && e.VideoPaused && e.Layer is null), 10), Describe());
        var video = _downlink.VideoTotal;
        var audio = _downlink.Audio;
        Assert.True(Wait(() => _downlink.Audio > audio + 60, 20), $"audio stopped while paused; {Describe()}");
        // A few packets already in flight when the pause began may still arrive; no more than that.
        Assert.InRange(_downlink.VideoTotal - video, 0, 20);

        // The link comes back: probes (padding on the slot's RTX SSRC) find the room, and video resumes by itself.
        var padding = _downlink.Padding;
        _downlink.CapacityBps = 20_000_000;
        Assert.True(Wait(() => !Subscriber.VideoPaused && _downlink.VideoTotal > video + 100, 40), Describe());
        Assert.True(_downlink.Padding > padding, "video resumed without a probe");
        var pausedAt = _events.ToList().FindIndex(e => e.VideoPaused);
        Assert.True(Wait(() => _events.Skip(pausedAt + 1).Any(e => e.PeerId == "sub" && !e.VideoPaused && e.Layer is not null), 10), Describe());
    }

    [Fact]
    public void Forward_AudioSlotNegotiatedTransportCc_AudioIsStampedSoTheEstimateCoversIt()
    {
        // The subscriber's offer carries the transport-wide extension on its audio m-section, as Chrome's does: the SFU
        // stamps the audio it forwards, and the feedback reports it (a 300 kbps rural link paused video when the
        // estimate was measured on video alone and the audio's share was then taken off it).
        _downlink.CapacityBps = 20_000_000;
        Assert.True(Wait(() => _downlink.StampedAudio > 100 && Subscriber.EstimateSource == "transport-cc", 20), Describe());
        // Every audio packet is stamped (read while packets flow: the two counters may be a packet apart).
        var audio = _downlink.Audio;
        Assert.True(_downlink.StampedAudio >= audio - 1, $"{_downlink.StampedAudio} of {audio} audio packets stamped");
    }

    private string Describe()
    {
        var s = Subscriber;
        return $"layer={s.ReceivedLayer} paused={s.VideoPaused} estimate={s.EstimatedBitrateBps} source={s.EstimateSource} " +
            $"video q/h/f={_downlink.Video(0)}/{_downlink.Video(1)}/{_downlink.Video(2)} audio={_downlink.Audio} padding={_downlink.Padding}; " +
            $"events: {string.Join(", ", _events.Select(e => $"{(e.VideoPaused ? "paused" : e.Layer)}@{e.EstimatedBitrateBps}"))}; " +
            _server.Diagnostics();
    }

    private static bool Wait(Func<bool> condition, double seconds) => Loss.ThreePeerRoom.WaitUntil(condition, seconds);

    public void Dispose()
    {
        _publisher.Dispose();
        _publisherPeer.Dispose();
        _subscriberPeer.Dispose();
        _server.Dispose();
    }
}
