using System.Net;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Tests.Sfu.Loss;

namespace LiveClassroom.Media.Tests.Relay;

/// <summary>
/// A cascade on loopback: a publisher on media server A (the origin), a subscriber on server B (the edge), A's room
/// feeding B's through real relay sockets with a lossy hop between them.
/// </summary>
public sealed class MediaRelayTests : IDisposable
{
    private const uint VideoSsrc = 0x5151_0002;
    private static readonly byte[] Key = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate("relay-test");
    private readonly MediaServer _origin = RelayTestKit.NewServer();
    private readonly MediaServer _edge = RelayTestKit.NewServer();
    private readonly MediaRelay _originRelay;
    private readonly MediaRelay _edgeRelay;
    private readonly RelayProxy _hop;
    private readonly SyntheticPeer _publisher;
    private readonly SyntheticPeer _subscriber;
    private readonly MediaRoom _edgeRoom;
    private readonly byte[] _buffer = new byte[1600];

    public MediaRelayTests()
    {
        var originRoom = _origin.CreateRoom("class-1");
        _publisher = new SyntheticPeer(_certificate, _origin.LocalEndPoint, 16) { KeepPackets = true };
        _publisher.Connect(originRoom.Negotiate("teacher", _publisher.Offer(true, 0x5151_0001, VideoSsrc, 0x5151_0003)), SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(ThreePeerRoom.WaitUntil(() => originRoom.GetStats().All(s => s.State == "connected"), 10), _origin.Diagnostics());

        _originRelay = new MediaRelay(_origin, new MediaRelayOptions { BindAddress = IPAddress.Loopback });
        _edgeRelay = new MediaRelay(_edge, new MediaRelayOptions { BindAddress = IPAddress.Loopback });
        _hop = new RelayProxy(_edgeRelay.LocalEndPoint);
        _edgeRelay.Receive("class-1", 7, Key, _originRelay.LocalEndPoint);
        _originRelay.Feed("class-1", 7, Key, _hop.EndPoint, ["teacher"]);

        _edgeRoom = _edge.GetRoom("class-1")!;
        _edgeRoom.AutoRoute = true;
        // The teacher's stand-in appears in the edge room once the origin's first track table arrives.
        Assert.True(ThreePeerRoom.WaitUntil(() => _edgeRoom.PeerIds.Contains("teacher"), 10), "the edge never learnt the teacher's tracks");
        _subscriber = new SyntheticPeer(_certificate, _edge.LocalEndPoint, 1024) { KeepPackets = true };
        _subscriber.Connect(_edgeRoom.Negotiate("projector", _subscriber.Offer(false, 0, 0, 0)), SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(ThreePeerRoom.WaitUntil(() => _edgeRoom.GetStats().All(s => s.State == "connected"), 10), _edge.Diagnostics());
    }


    [Fact]
    public void Relay_PacketLostOnTheHop_EdgeAsksTheOriginAndTheSubscriberGetsEveryPacket()
    {
        // The 13th relayed packet (payload 12) is lost between the nodes; the publisher sent it, so the origin has it.
        lock (_hop.DropRtp)
        {
            _hop.DropRtp.Add(13);
        }
        SendVideo(2000, 30);

        Assert.True(ThreePeerRoom.WaitUntil(() => _subscriber.RtpLog.Count >= 30, 10),
            $"{_subscriber.RtpLog.Count} of 30 reached the subscriber; hop dropped {_hop.Dropped}; {_edge.Diagnostics()}");
        Assert.Equal(1, _hop.Dropped);
        var payloads = RelayTestKit.Payloads(_subscriber);
        Assert.Equal(Enumerable.Range(0, 30).ToHashSet(), payloads);
        var origin = Assert.Single(_originRelay.GetStats());
        Assert.True(origin.Retransmissions >= 1, "the origin answered no NACK");
        // The publisher was never asked: the loss was on the hop, repaired from the origin's cache.
        Assert.DoesNotContain(_publisher.RtcpLog, RelayTestKit.IsNack);
    }

    [Fact]
    public void Relay_SubscriberOnTheEdgeAsksForAKeyframe_ThePublisherOnTheOriginGetsAPli()
    {
        SendVideo(4000, 10);
        Assert.True(ThreePeerRoom.WaitUntil(() => _subscriber.RtpLog.Count >= 10, 10), $"{_subscriber.RtpLog.Count} forwarded; {_edge.Diagnostics()}");
        var got = RelayTestKit.AskKeyframeUntilThePublisherHasIt(_subscriber, _publisher, _buffer, 0x6161_0001, VideoSsrc);

        Assert.True(got, $"no PLI reached the publisher; {_edge.Diagnostics()}");
        Assert.True(_edgeRoom.GetStats().Single(s => s.PeerId == "teacher").KeyframeRequests >= 1);
    }

    [Fact]
    public void Silence_EdgeRelayStops_OriginHearsNothingFromItsLink()
    {
        // The edge's heartbeats (four a second) keep the origin's link fresh.
        Assert.True(ThreePeerRoom.WaitUntil(() => _originRelay.Silence(7) < TimeSpan.FromMilliseconds(750), 10), $"silent for {_originRelay.Silence(7)}");

        _edgeRelay.Dispose();

        // What the class grain reads to take an edge for dead (2 s): it grows once the edge is gone.
        Assert.True(ThreePeerRoom.WaitUntil(() => _originRelay.Silence(7) >= TimeSpan.FromSeconds(1), 10), $"silent for {_originRelay.Silence(7)}");
        Assert.Null(_originRelay.Silence(8));
    }

    private void SendVideo(ushort firstSeq, int count) => RelayTestKit.SendVideo(_publisher, _buffer, firstSeq, count, VideoSsrc);

    public void Dispose()
    {
        _publisher.Dispose();
        _subscriber.Dispose();
        _originRelay.Dispose();
        _edgeRelay.Dispose();
        _hop.Dispose();
        _origin.Dispose();
        _edge.Dispose();
    }
}
