using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Tests.Sfu.Loss;

namespace LiveClassroom.Media.Tests.Sfu.Layers;

/// <summary>
/// Keyframe requests to a simulcast publisher are coalesced per track, not per layer: Chrome answers a PLI on any layer
/// with a keyframe on every layer, so two classrooms on different layers asking at once must cost the publisher (and
/// every classroom's link) one keyframe, not two. Real packets through a real MediaServer on loopback.
/// </summary>
public sealed partial class SimulcastKeyframeTests : IDisposable
{
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate("keyframe-test");
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);
    private readonly MediaServer _server = new(new MediaServerOptions
    {
        BindAddress = IPAddress.Loopback,
        AdvertisedAddresses = [IPAddress.Loopback],
        VideoCodec = VideoCodecPreference.Vp8,
        ConsentTimeout = TimeSpan.FromMinutes(5),
        AdaptiveLayers = true,
        KeyframeRequestInterval = Interval,
    });
    private readonly List<IDisposable> _owned = [];
    private readonly MediaRoom _room;

    public SimulcastKeyframeTests() => _room = _server.CreateRoom("keyframes");

    [Fact]
    public void Pli_TwoClassroomsOnDifferentLayers_OneKeyframeRequestPerIntervalForTheTrack()
    {
        var publisherPeer = Own(new SyntheticPeer(Certificate, _server.LocalEndPoint, 16));
        publisherPeer.Connect(_room.Negotiate("pub", publisherPeer.Offer(true, SimulcastPublisher.AudioSsrc, 0, 0, rids: SimulcastPublisher.Rids)),
            SrtpProtectionProfileId.AeadAes128Gcm);
        var (widePeer, wide, wideSsrc) = Subscribe("wide", 20_000_000);
        var (narrowPeer, narrow, narrowSsrc) = Subscribe("narrow", 500_000);
        Own(new SimulcastPublisher(publisherPeer));
        Assert.True(Wait(() => Stats("pub").IncomingStreams >= 4, 20), _server.Diagnostics());
        foreach (var id in new[] { "wide", "narrow" })
        {
            _room.Route(id, "0", new MediaTrackSource("pub", "0"));
            _room.Route(id, "1", new MediaTrackSource("pub", "1"));
        }
        // The wide link settles on the top layer, the narrow one below it (both still receiving video).
        Assert.True(Wait(() => Stats("wide") is { ReceivedLayer: "f", VideoPaused: false } && Stats("narrow") is { ReceivedLayer: "h" or "q", VideoPaused: false }
            && wide.VideoTotal > 100 && narrow.VideoTotal > 100, 40), Describe());
        // The burst below must start from a clean slate, with the two classrooms on different layers: wait until no
        // keyframe was asked of the publisher for a whole interval (the layer switches above asked for some) while the
        // wide link is on the top layer and the narrow one below it (a loaded machine can move either for a while).
        var requests = Stats("pub").KeyframeRequests;
        var still = Stopwatch.StartNew();
        Assert.True(Wait(() =>
        {
            var now = Stats("pub").KeyframeRequests;
            if (now != requests || Stats("wide").ReceivedLayer != "f" || Stats("narrow").ReceivedLayer is not ("h" or "q"))
            {
                requests = now;
                still.Restart();
            }
            return still.Elapsed > Interval + TimeSpan.FromMilliseconds(200);
        }, 60), Describe());
        var before = Stats("pub");

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            ThreePeerRoom.SendPli(widePeer, wideSsrc);
            ThreePeerRoom.SendPli(narrowPeer, narrowSsrc);
        }
        static long Seen(MediaPeerStats s) => s.KeyframeRequests + s.KeyframeRequestsCoalesced;
        Assert.True(Wait(() => Seen(Stats("pub")) - Seen(before) >= 20, 10), Describe());
        var elapsed = clock.Elapsed;

        // Both layers were asked for within one interval: one request to the publisher (per layer it would be two; a
        // layer switch meanwhile asks within the same interval and is coalesced too).
        Assert.True(elapsed < Interval, $"the PLIs took {elapsed.TotalSeconds:0.0} s, longer than the interval");
        Assert.Equal(1, Stats("pub").KeyframeRequests - before.KeyframeRequests);
    }

    private (SyntheticPeer Peer, EmulatedDownlink Link, uint VideoSsrc) Subscribe(string id, double capacityBps)
    {
        var peer = Own(new SyntheticPeer(Certificate, _server.LocalEndPoint, 16));
        var answer = _room.Negotiate(id, peer.Offer(false, 0, 0, 0, transportCc: true));
        var link = new EmulatedDownlink(peer) { CapacityBps = capacityBps };
        peer.Connect(answer, SrtpProtectionProfileId.AeadAes128Gcm);
        // RFC 5576 §4.2: the first SSRC of the video section's FID group is the slot's media stream.
        var fid = FidGroup().Match(answer);
        Assert.True(fid.Success, answer);
        return (peer, link, uint.Parse(fid.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"a=ssrc-group:FID (\d+) \d+")]
    private static partial Regex FidGroup();

    private MediaPeerStats Stats(string id) => _room.GetStats().Single(s => s.PeerId == id);

    private string Describe() =>
        $"wide {Stats("wide").ReceivedLayer}, narrow {Stats("narrow").ReceivedLayer}; publisher keyframe requests {Stats("pub").KeyframeRequests} " +
        $"(coalesced {Stats("pub").KeyframeRequestsCoalesced}); {_server.Diagnostics()}";

    private T Own<T>(T item) where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    private static bool Wait(Func<bool> condition, double seconds) => ThreePeerRoom.WaitUntil(condition, seconds);

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
        _server.Dispose();
    }
}
