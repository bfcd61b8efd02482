using System.Collections.Concurrent;
using System.Net;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;

namespace LiveClassroom.Media.Tests.Sfu.Layers;

/// <summary>
/// A real MediaServer on loopback with adaptive layers, a synthetic simulcast publisher ("pub": audio + q/h/f) and one
/// subscriber ("sub") answering transport-cc behind an <see cref="EmulatedDownlink"/>, routed to the publisher's audio and
/// video; the server's quality events are kept with the time they were raised.
/// </summary>
internal sealed class LayerRoom : IDisposable
{
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate("layers-test");
    private readonly SyntheticPeer _publisherPeer;
    private readonly SyntheticPeer _subscriberPeer;
    private readonly SimulcastPublisher _publisher;

    /// <param name="configure">Sets the emulated link up before the subscriber connects.</param>
    public LayerRoom(string name, Action<EmulatedDownlink>? configure = null)
    {
        Server.MediaQualityChanged += (_, e) => Events.Enqueue((DateTime.UtcNow, e));
        Room = Server.CreateRoom(name);
        _publisherPeer = new SyntheticPeer(Certificate, Server.LocalEndPoint, 16);
        _publisherPeer.Connect(Room.Negotiate("pub", _publisherPeer.Offer(true, SimulcastPublisher.AudioSsrc, 0, 0, rids: SimulcastPublisher.Rids)),
            SrtpProtectionProfileId.AeadAes128Gcm);
        _subscriberPeer = new SyntheticPeer(Certificate, Server.LocalEndPoint, 16);
        var answer = Room.Negotiate("sub", _subscriberPeer.Offer(false, 0, 0, 0, transportCc: true));
        Assert.Contains("a=rtcp-fb:96 transport-cc", answer, StringComparison.Ordinal);
        Assert.Contains("a=ssrc-group:FID", answer, StringComparison.Ordinal);
        Downlink = new EmulatedDownlink(_subscriberPeer);
        configure?.Invoke(Downlink);
        _subscriberPeer.Connect(answer, SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(Wait(() => Room.GetStats().Count(s => s.State == "connected") == 2, 20), Server.Diagnostics());
        _publisher = new SimulcastPublisher(_publisherPeer);
        Assert.True(Wait(() => Room.GetStats().Single(s => s.PeerId == "pub").IncomingStreams >= 4, 20), Server.Diagnostics());
        Room.Route("sub", "0", new MediaTrackSource("pub", "0"));
        Room.Route("sub", "1", new MediaTrackSource("pub", "1"));
    }

    public MediaServer Server { get; } = new(new MediaServerOptions
    {
        BindAddress = IPAddress.Loopback,
        AdvertisedAddresses = [IPAddress.Loopback],
        VideoCodec = VideoCodecPreference.Vp8,
        ConsentTimeout = TimeSpan.FromMinutes(5),
        AdaptiveLayers = true,
    });

    public MediaRoom Room { get; }

    public EmulatedDownlink Downlink { get; }

    public ConcurrentQueue<(DateTime At, MediaQualityEventArgs Event)> Events { get; } = new();

    public MediaPeerStats Subscriber => Room.GetStats().Single(s => s.PeerId == "sub");

    public static bool Wait(Func<bool> condition, double seconds) => Loss.ThreePeerRoom.WaitUntil(condition, seconds);

    /// <summary>The subscriber's layer, estimate and packets, the quality events so far and the server's diagnostics (assertion messages).</summary>
    public string Describe()
    {
        var s = Subscriber;
        return $"layer={s.ReceivedLayer} paused={s.VideoPaused} estimate={s.EstimatedBitrateBps} source={s.EstimateSource} " +
            $"video q/h/f={Downlink.Video(0)}/{Downlink.Video(1)}/{Downlink.Video(2)} audio={Downlink.Audio} padding={Downlink.Padding}; " +
            $"events: {string.Join(", ", Events.Select(e => $"{e.At:HH:mm:ss.f} {(e.Event.VideoPaused ? "paused" : e.Event.Layer)}@{e.Event.EstimatedBitrateBps}"))}; " +
            Server.Diagnostics();
    }

    public void Dispose()
    {
        _publisher.Dispose();
        _publisherPeer.Dispose();
        _subscriberPeer.Dispose();
        Server.Dispose();
    }
}
