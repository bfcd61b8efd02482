using System.Net;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Sfu;
using LiveClassroom.Media.Tests.Sfu.Loss;

namespace LiveClassroom.Media.Tests.Relay;

/// <summary>
/// The reverse feed on loopback: a stage classroom publishing on edge A is fed back to the origin O (a lossy hop), and
/// O passes its stand-in on to edge B, where a classroom subscribes. Two hops, three media servers, real relay sockets.
/// </summary>
public sealed class MediaRelayReverseTests : IDisposable
{
    private const uint VideoSsrc = 0x5252_0002;
    private const string Room = "class-2";
    private static readonly byte[] BackKey = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
    private static readonly byte[] ForwardKey = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate("relay-reverse-test");
    private readonly MediaServer _edgeA = RelayTestKit.NewServer();
    private readonly MediaServer _origin = RelayTestKit.NewServer();
    private readonly MediaServer _edgeB = RelayTestKit.NewServer();
    private readonly MediaRelay _relayA;
    private readonly MediaRelay _relayOrigin;
    private readonly MediaRelay _relayB;
    private readonly RelayProxy _hop;
    private readonly SyntheticPeer _publisher;
    private readonly SyntheticPeer _subscriber;
    private readonly MediaRoom _roomB;
    private readonly byte[] _buffer = new byte[1600];

    public MediaRelayReverseTests()
    {
        _origin.CreateRoom(Room);
        var roomA = _edgeA.CreateRoom(Room);
        _publisher = new SyntheticPeer(_certificate, _edgeA.LocalEndPoint, 16) { KeepPackets = true };
        _publisher.Connect(roomA.Negotiate("projector-a", _publisher.Offer(true, 0x5252_0001, VideoSsrc, 0x5252_0003)), SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(ThreePeerRoom.WaitUntil(() => roomA.GetStats().All(s => s.State == "connected"), 10), _edgeA.Diagnostics());

        _relayA = new MediaRelay(_edgeA, new MediaRelayOptions { BindAddress = IPAddress.Loopback });
        _relayOrigin = new MediaRelay(_origin, new MediaRelayOptions { BindAddress = IPAddress.Loopback });
        _relayB = new MediaRelay(_edgeB, new MediaRelayOptions { BindAddress = IPAddress.Loopback });
        _hop = new RelayProxy(_relayOrigin.LocalEndPoint);
        // Edge A feeds its stage classroom back to the origin (through the lossy hop)...
        _relayOrigin.Receive(Room, 21, BackKey, _relayA.LocalEndPoint);
        _relayA.Feed(Room, 21, BackKey, _hop.EndPoint, ["projector-a"]);
        var originRoom = _origin.GetRoom(Room)!;
        Assert.True(ThreePeerRoom.WaitUntil(() => originRoom.PeerIds.Contains("projector-a"), 10), "the origin never learnt edge A's tracks");
        // ...and the origin passes its stand-in on to edge B.
        _relayB.Receive(Room, 22, ForwardKey, _relayOrigin.LocalEndPoint);
        _relayOrigin.Feed(Room, 22, ForwardKey, _relayB.LocalEndPoint, ["projector-a"]);
        _roomB = _edgeB.GetRoom(Room)!;
        _roomB.AutoRoute = true;
        Assert.True(ThreePeerRoom.WaitUntil(() => _roomB.PeerIds.Contains("projector-a"), 10), "edge B never learnt the relayed stand-in's tracks");
        _subscriber = new SyntheticPeer(_certificate, _edgeB.LocalEndPoint, 1024) { KeepPackets = true };
        _subscriber.Connect(_roomB.Negotiate("projector-b", _subscriber.Offer(false, 0, 0, 0)), SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(ThreePeerRoom.WaitUntil(() => _roomB.GetStats().All(s => s.State == "connected"), 10), _edgeB.Diagnostics());
    }


    [Fact]
    public void ReverseFeed_PacketLostOnTheHopToTheOrigin_RepairedFromEdgeAsCache_TheOtherEdgesSubscriberGetsEveryPacket()
    {
        lock (_hop.DropRtp)
        {
            _hop.DropRtp.Add(13);
        }
        SendVideo(3000, 30);

        Assert.True(ThreePeerRoom.WaitUntil(() => _subscriber.RtpLog.Count >= 30, 10),
            $"{_subscriber.RtpLog.Count} of 30 reached the subscriber on edge B; hop dropped {_hop.Dropped}; {_origin.Diagnostics()} || {_edgeB.Diagnostics()}");
        Assert.Equal(1, _hop.Dropped);
        var payloads = RelayTestKit.Payloads(_subscriber);
        Assert.Equal(Enumerable.Range(0, 30).ToHashSet(), payloads);
        var back = Assert.Single(_relayA.GetStats());
        Assert.True(back.IsOrigin, "edge A's end of the reverse feed is the feeding end");
        Assert.True(back.Retransmissions >= 1, "edge A answered no NACK from the origin");
        Assert.DoesNotContain(_publisher.RtcpLog, RelayTestKit.IsNack);
    }

    [Fact]
    public void ReverseFeed_SubscriberOnTheOtherEdgeAsksForAKeyframe_ThePublisherOnEdgeAGetsAPli()
    {
        SendVideo(5000, 10);
        Assert.True(ThreePeerRoom.WaitUntil(() => _subscriber.RtpLog.Count >= 10, 10), $"{_subscriber.RtpLog.Count} forwarded; {_edgeB.Diagnostics()}");
        var got = RelayTestKit.AskKeyframeUntilThePublisherHasIt(_subscriber, _publisher, _buffer, 0x6262_0001, VideoSsrc);

        Assert.True(got, $"no PLI reached the publisher on edge A; {_origin.Diagnostics()}");
    }

    [Fact]
    public void ReverseFeed_OriginFeedsBothEdges_TheStandInGoesToTheOtherEdgeButNeverBackToItsOwnNode()
    {
        var origin = _origin.GetRoom(Room)!.Engine;
        var toA = new CountingDownlink(_relayA.LocalEndPoint);
        var toB = new CountingDownlink(new IPEndPoint(IPAddress.Loopback, 9));
        var feedA = origin.AddRelayFeed(toA, ["projector-a"]);
        var feedB = origin.AddRelayFeed(toB, ["projector-a"]);

        SendVideo(7000, 20);

        Assert.True(ThreePeerRoom.WaitUntil(() => Volatile.Read(ref toB.Packets) >= 20 && _subscriber.RtpLog.Count >= 20, 10), $"{toB.Packets} fed on; {_origin.Diagnostics()}");
        Assert.Equal(0, Volatile.Read(ref toA.Packets));
        Assert.Empty(origin.DescribeRelayTracks(feedA));
        Assert.NotEmpty(origin.DescribeRelayTracks(feedB));
    }

    private sealed class CountingDownlink(IPEndPoint remote) : IRelayDownlink
    {
        public int Packets;

        public IPEndPoint RemoteEndPoint { get; } = remote;

        public void OnRtp(IncomingStream stream, ReadOnlySpan<byte> packet, bool recovered) => Interlocked.Increment(ref Packets);
    }

    private void SendVideo(ushort firstSeq, int count) => RelayTestKit.SendVideo(_publisher, _buffer, firstSeq, count, VideoSsrc);

    public void Dispose()
    {
        _publisher.Dispose();
        _subscriber.Dispose();
        _relayA.Dispose();
        _relayOrigin.Dispose();
        _relayB.Dispose();
        _hop.Dispose();
        _edgeA.Dispose();
        _origin.Dispose();
        _edgeB.Dispose();
    }
}
