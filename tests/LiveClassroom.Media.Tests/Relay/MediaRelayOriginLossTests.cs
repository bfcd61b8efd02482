using System.Net;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Tests.Sfu.Loss;

namespace LiveClassroom.Media.Tests.Relay;

/// <summary>
/// The class's origin node dies (issue #17): origin A feeds edge E the teacher, E's projector is routed to the
/// teacher's stand-in, then A goes silent as a killed process does (its relay socket closed, E's link to it left open).
/// The teacher publishes again under the same peer id on node B, which either becomes the new origin feeding E over a
/// new link, or was itself an edge of A (its stand-in for the teacher replaced by the teacher's real peer). Routes are
/// the class grain's (no auto-routing): nothing re-routes the projector, so its slot must follow the new tracks.
/// </summary>
public sealed class MediaRelayOriginLossTests : IDisposable
{
    private const string Room = "class-3";
    private const uint OldVideoSsrc = 0x5353_0002;
    private const uint NewVideoSsrc = 0x5454_0002;
    private static readonly byte[] OldKey = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
    private static readonly byte[] NewKey = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate("relay-origin-loss-test");
    private readonly DtlsCertificate _newCertificate = DtlsCertificate.Generate("relay-origin-loss-test-2");
    private readonly MediaServer _a = RelayTestKit.NewServer();
    private readonly MediaServer _b = RelayTestKit.NewServer();
    private readonly MediaServer _e = RelayTestKit.NewServer();
    private readonly MediaRelay _relayA;
    private readonly MediaRelay _relayB;
    private readonly MediaRelay _relayE;
    private readonly SyntheticPeer _oldTeacher;
    private readonly List<SyntheticPeer> _peers = [];
    private readonly byte[] _buffer = new byte[1600];

    public MediaRelayOriginLossTests()
    {
        var roomA = _a.CreateRoom(Room);
        _oldTeacher = Connect(_a, roomA, "teacher", publish: true, OldVideoSsrc, _certificate);
        _relayA = new MediaRelay(_a, new MediaRelayOptions { BindAddress = IPAddress.Loopback });
        _relayB = new MediaRelay(_b, new MediaRelayOptions { BindAddress = IPAddress.Loopback });
        _relayE = new MediaRelay(_e, new MediaRelayOptions { BindAddress = IPAddress.Loopback });
    }

    [Fact]
    public void OriginDies_TheTeacherPublishesOnANewOriginThatFeedsTheEdge_TheEdgesProjectorGetsTheNewPackets()
    {
        var (roomE, projector) = EdgeOfA(_e, _relayE, linkId: 31);

        KillA();
        var roomB = _b.CreateRoom(Room);
        var newTeacher = Connect(_b, roomB, "teacher", publish: true, NewVideoSsrc, _newCertificate);
        // The class grain's route, set while the dead link's stand-in still answers for the teacher (its
        // WaitForPeersAsync is satisfied by it): nothing sets it again.
        roomE.Route("projector", "1", new MediaTrackSource("teacher", "1"));
        _relayE.Receive(Room, 32, NewKey, _relayB.LocalEndPoint);
        _relayB.Feed(Room, 32, NewKey, _relayE.LocalEndPoint, ["teacher"]);

        // Past the dead link's 10 s silence limit: without the take-over the slot stays on the stale stand-in, then on nothing.
        var got = SendUntilReceived(newTeacher, projector, seconds: 15);

        Assert.True(got, $"the projector on the edge got none of B's packets; {_e.Diagnostics()}");
        Assert.Equal(["projector/1"], roomE.Engine.ListenersOf("teacher", "1"));
        Assert.Equal(1, roomE.Engine.RelayStandInsTakenOver);
    }

    [Fact]
    public void OlderOriginStillFeeding_TheNewerLinksStandInKeepsThePublisher_NoFlapping()
    {
        var (roomE, projector) = EdgeOfA(_e, _relayE, linkId: 34);
        var roomB = _b.CreateRoom(Room);
        var newTeacher = Connect(_b, roomB, "teacher", publish: true, NewVideoSsrc, _newCertificate);
        _relayE.Receive(Room, 35, NewKey, _relayB.LocalEndPoint);
        _relayB.Feed(Room, 35, NewKey, _relayE.LocalEndPoint, ["teacher"]);
        Assert.True(SendUntilReceived(newTeacher, projector, seconds: 10), $"no packet from B; {_e.Diagnostics()}");

        // A (not dead: say the class moved while it kept running) goes on sending its track tables and packets.
        var tables = _relayE.GetStats().Single(l => l.LinkId == 34).PacketsReceived;
        Assert.True(ThreePeerRoom.WaitUntil(() =>
        {
            RelayTestKit.SendVideo(_oldTeacher, _buffer, 7000, 3, OldVideoSsrc);
            return _relayE.GetStats().Single(l => l.LinkId == 34).PacketsReceived >= tables + 8;
        }, 10), "A's link went quiet");

        Assert.Equal(1, roomE.Engine.RelayStandInsTakenOver);
        Assert.True(SendUntilReceived(newTeacher, projector, seconds: 10, firstSeq: 20_000), $"B's packets stopped reaching the projector; {_e.Diagnostics()}");
        Assert.Equal(["projector/1"], roomE.Engine.ListenersOf("teacher", "1"));
    }

    [Fact]
    public void OriginDies_TheTeacherPublishesOnAFormerEdge_ItsRealPeerReplacesTheStandInAndItsProjectorFollows()
    {
        var (roomB, projector) = EdgeOfA(_b, _relayB, linkId: 33);

        KillA();
        var newTeacher = Connect(_b, roomB, "teacher", publish: true, NewVideoSsrc, _newCertificate);

        var got = SendUntilReceived(newTeacher, projector, seconds: 15);

        Assert.True(got, $"the projector on B got none of the teacher's new packets; {_b.Diagnostics()}");
        Assert.Equal(["projector/1"], roomB.Engine.ListenersOf("teacher", "1"));
        Assert.All(roomB.GetStats().Where(s => s.PeerId == "teacher"), s => Assert.Equal("connected", s.State));
    }

    /// <summary>A feeds <paramref name="edge"/> the teacher; a projector there is routed to the stand-in's video and gets it.</summary>
    private (MediaRoom Room, SyntheticPeer Projector) EdgeOfA(MediaServer edge, MediaRelay edgeRelay, uint linkId)
    {
        edgeRelay.Receive(Room, linkId, OldKey, _relayA.LocalEndPoint);
        _relayA.Feed(Room, linkId, OldKey, edgeRelay.LocalEndPoint, ["teacher"]);
        var room = edge.GetRoom(Room)!;
        Assert.True(ThreePeerRoom.WaitUntil(() => room.PeerIds.Contains("teacher"), 10), "the edge never learnt the teacher's tracks");
        var projector = Connect(edge, room, "projector", publish: false, 0, _certificate);
        room.Route("projector", "1", new MediaTrackSource("teacher", "1"));
        Assert.True(SendUntilReceived(_oldTeacher, projector, seconds: 10), $"no relayed packet before the kill; {edge.Diagnostics()}");
        return (room, projector);
    }

    /// <summary>As a killed process: A sends nothing more, and the links to it stay open on the other nodes.</summary>
    private void KillA()
    {
        _relayA.Dispose();
        _peers.Remove(_oldTeacher);
        _oldTeacher.Dispose();
    }

    private SyntheticPeer Connect(MediaServer server, MediaRoom room, string peerId, bool publish, uint videoSsrc, DtlsCertificate certificate)
    {
        var peer = new SyntheticPeer(certificate, server.LocalEndPoint, publish ? 16 : 1024) { KeepPackets = true };
        _peers.Add(peer);
        peer.Connect(room.Negotiate(peerId, peer.Offer(publish, publish ? videoSsrc - 1 : 0, videoSsrc, publish ? videoSsrc + 1 : 0)),
            SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(ThreePeerRoom.WaitUntil(() => room.GetStats().Where(s => s.PeerId == peerId).All(s => s.State == "connected"), 10), room.Engine.Diagnostics());
        return peer;
    }

    /// <summary>
    /// The publisher sends a keyframe and two more frames at a time until the subscriber decrypts a packet it had not
    /// got before (the relay drops a track's packets until its table reaches the edge, and a slot switches at a keyframe).
    /// </summary>
    private bool SendUntilReceived(SyntheticPeer publisher, SyntheticPeer subscriber, double seconds, ushort firstSeq = 1000)
    {
        var before = subscriber.RtpLog.Count;
        var round = 0;
        var ssrc = publisher == _oldTeacher ? OldVideoSsrc : NewVideoSsrc;
        return ThreePeerRoom.WaitUntil(() =>
        {
            RelayTestKit.SendVideo(publisher, _buffer, (ushort)(firstSeq + (3 * round++)), 3, ssrc);
            return subscriber.RtpLog.Count > before;
        }, seconds);
    }

    public void Dispose()
    {
        foreach (var peer in _peers)
        {
            peer.Dispose();
        }
        _relayA.Dispose();
        _relayB.Dispose();
        _relayE.Dispose();
        _a.Dispose();
        _b.Dispose();
        _e.Dispose();
    }
}
