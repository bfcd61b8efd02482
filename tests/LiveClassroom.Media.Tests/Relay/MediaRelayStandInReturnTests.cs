using System.Net;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Tests.Sfu.Loss;

namespace LiveClassroom.Media.Tests.Relay;

/// <summary>
/// A relayed publisher's stand-in goes and comes back without the class hearing of it (issue #17): origin A feeds edge
/// E the teacher and E's projector is routed to the stand-in's video, as the class grain routes (no auto-routing); then
/// the stand-in leaves E's room — A's feed leaves the teacher out of its list for a moment, or E's link falls silent past
/// RelaySocket.SilenceLimit — and comes back. The grain caches its routes and does not send them again, so the
/// projector's slot must be bound again by the SFU from the route it was asked for.
/// </summary>
public sealed class MediaRelayStandInReturnTests : IDisposable
{
    private const string Room = "class-5";
    private const uint VideoSsrc = 0x5757_0002;
    private static readonly byte[] Key = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21];
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate("relay-stand-in-return-test");
    private readonly DtlsCertificate _reloadCertificate = DtlsCertificate.Generate("relay-stand-in-return-test-reload");
    private readonly MediaServer _a = RelayTestKit.NewServer();
    private readonly MediaServer _e = RelayTestKit.NewServer();
    private readonly MediaRelay _relayA;
    private readonly MediaRelay _relayE;
    private readonly SyntheticPeer _teacher;
    private readonly List<SyntheticPeer> _peers = [];
    private readonly byte[] _buffer = new byte[1600];

    public MediaRelayStandInReturnTests()
    {
        var roomA = _a.CreateRoom(Room);
        _teacher = Connect(_a, roomA, "teacher", publish: true);
        _relayA = new MediaRelay(_a, new MediaRelayOptions { BindAddress = IPAddress.Loopback });
        _relayE = new MediaRelay(_e, new MediaRelayOptions { BindAddress = IPAddress.Loopback });
    }

    [Fact]
    public void FeedLeavesTheTeacherOutForAMoment_StandInReturns_TheProjectorGetsTheTeacherAgain()
    {
        var (roomE, projector) = Edge(linkId: 51);

        _relayA.Feed(Room, 51, Key, _relayE.LocalEndPoint, []);
        Assert.True(ThreePeerRoom.WaitUntil(() => !roomE.PeerIds.Contains("teacher"), 10), "the stand-in never left");
        Assert.Empty(roomE.Engine.ListenersOf("teacher", "1"));
        _relayA.Feed(Room, 51, Key, _relayE.LocalEndPoint, ["teacher"]);
        Assert.True(ThreePeerRoom.WaitUntil(() => roomE.PeerIds.Contains("teacher"), 10), "the stand-in never came back");

        var got = SendUntilReceived(projector, seconds: 10, firstSeq: 5000);

        Assert.True(got, $"the projector got nothing after the stand-in came back; {_e.Diagnostics()}");
        Assert.Equal(["projector/1"], roomE.Engine.ListenersOf("teacher", "1"));
        Assert.Equal(1, roomE.Engine.SlotsRebound);
        // The re-bound slot asked the new stand-in for a keyframe, which goes up the link as a PLI (each hop coalesces:
        // the origin may fold it into its own request of a moment before, so the teacher's count is not asserted).
        Assert.True(roomE.GetStats().Single(s => s.PeerId == "teacher").KeyframeRequests >= 1, "the re-bound slot asked for no keyframe");
    }

    [Fact]
    public void EdgeLinkSilentPastTheLimit_ALinkFeedsTheTeacherAgain_TheProjectorGetsTheTeacherAgain()
    {
        var (roomE, projector) = Edge(linkId: 52);

        // A's end stops sending (a stalled origin): E's link closes at its silence limit and the stand-in leaves.
        _relayA.Close(52);
        Assert.True(ThreePeerRoom.WaitUntil(() => !roomE.PeerIds.Contains("teacher"), RelaySocketSilenceSeconds + 5), "E never closed its silent link");
        Assert.Empty(roomE.Engine.ListenersOf("teacher", "1"));
        _relayE.Receive(Room, 53, Key, _relayA.LocalEndPoint);
        _relayA.Feed(Room, 53, Key, _relayE.LocalEndPoint, ["teacher"]);
        Assert.True(ThreePeerRoom.WaitUntil(() => roomE.PeerIds.Contains("teacher"), 10), "the stand-in never came back");

        var got = SendUntilReceived(projector, seconds: 10, firstSeq: 5000);

        Assert.True(got, $"the projector got nothing after the stand-in came back; {_e.Diagnostics()}");
        Assert.Equal(["projector/1"], roomE.Engine.ListenersOf("teacher", "1"));
        Assert.Equal(1, roomE.Engine.SlotsRebound);
    }

    [Fact]
    public void StandInGone_TheProjectorsPageComesBackOnANewConnection_ItsNewSlotGetsTheReturningTeacher()
    {
        var (roomE, _) = Edge(linkId: 55);

        _relayA.Feed(Room, 55, Key, _relayE.LocalEndPoint, []);
        Assert.True(ThreePeerRoom.WaitUntil(() => !roomE.PeerIds.Contains("teacher"), 10), "the stand-in never left");
        // The page reloads meanwhile: its new peer replaces the old one (TakeOver) and inherits the class's route.
        var reloaded = Connect(_e, roomE, "projector", publish: false, _reloadCertificate);
        _relayA.Feed(Room, 55, Key, _relayE.LocalEndPoint, ["teacher"]);
        Assert.True(ThreePeerRoom.WaitUntil(() => roomE.PeerIds.Contains("teacher"), 10), "the stand-in never came back");

        var got = SendUntilReceived(reloaded, seconds: 10, firstSeq: 5000);

        Assert.True(got, $"the reloaded projector got nothing after the stand-in came back; {_e.Diagnostics()}");
        Assert.Equal(["projector/1"], roomE.Engine.ListenersOf("teacher", "1"));
    }

    [Fact]
    public void StandInGone_TheClassUnroutesTheSlot_TheReturningStandInIsNotBoundToIt()
    {
        var (roomE, _) = Edge(linkId: 54);

        _relayA.Feed(Room, 54, Key, _relayE.LocalEndPoint, []);
        Assert.True(ThreePeerRoom.WaitUntil(() => !roomE.PeerIds.Contains("teacher"), 10), "the stand-in never left");
        // The class moved the slot off the teacher (here: to nothing) while the teacher was gone.
        roomE.Route("projector", "1", null);
        _relayA.Feed(Room, 54, Key, _relayE.LocalEndPoint, ["teacher"]);
        Assert.True(ThreePeerRoom.WaitUntil(() => roomE.PeerIds.Contains("teacher"), 10), "the stand-in never came back");
        SendVideo(5000, 3);

        Assert.Empty(roomE.Engine.ListenersOf("teacher", "1"));
        Assert.Equal(0, roomE.Engine.SlotsRebound);
        Assert.Null(roomE.Engine.CurrentSource("projector", "1"));
    }

    [Fact]
    public void StandInGone_TheClassRoutesTheSlotToAPublisherNotHereYet_TheReturningTeacherIsNotBoundToIt()
    {
        var (roomE, _) = Edge(linkId: 56);

        _relayA.Feed(Room, 56, Key, _relayE.LocalEndPoint, []);
        Assert.True(ThreePeerRoom.WaitUntil(() => !roomE.PeerIds.Contains("teacher"), 10), "the stand-in never left");
        // The class moved the slot to a stage classroom whose stand-in has not reached the edge yet: refused for now.
        Assert.Throws<KeyNotFoundException>(() => roomE.Route("projector", "1", new MediaTrackSource("classroom-7", "1")));
        _relayA.Feed(Room, 56, Key, _relayE.LocalEndPoint, ["teacher"]);
        Assert.True(ThreePeerRoom.WaitUntil(() => roomE.PeerIds.Contains("teacher"), 10), "the stand-in never came back");
        SendVideo(5000, 3);

        Assert.Empty(roomE.Engine.ListenersOf("teacher", "1"));
        Assert.Equal(0, roomE.Engine.SlotsRebound);
    }

    private static readonly int RelaySocketSilenceSeconds = (int)global::LiveClassroom.Media.Relay.RelaySocket.SilenceLimit.TotalSeconds;

    /// <summary>A feeds E the teacher; a projector on E is routed to the stand-in's video and gets it.</summary>
    private (MediaRoom Room, SyntheticPeer Projector) Edge(uint linkId)
    {
        _relayE.Receive(Room, linkId, Key, _relayA.LocalEndPoint);
        _relayA.Feed(Room, linkId, Key, _relayE.LocalEndPoint, ["teacher"]);
        var room = _e.GetRoom(Room)!;
        Assert.True(ThreePeerRoom.WaitUntil(() => room.PeerIds.Contains("teacher"), 10), "the edge never learnt the teacher's tracks");
        var projector = Connect(_e, room, "projector", publish: false);
        room.Route("projector", "1", new MediaTrackSource("teacher", "1"));
        Assert.True(SendUntilReceived(projector, seconds: 10), $"no relayed packet at first; {_e.Diagnostics()}");
        return (room, projector);
    }

    private SyntheticPeer Connect(MediaServer server, MediaRoom room, string peerId, bool publish, DtlsCertificate? certificate = null)
    {
        var peer = new SyntheticPeer(certificate ?? _certificate, server.LocalEndPoint, publish ? 16 : 1024) { KeepPackets = true };
        _peers.Add(peer);
        peer.Connect(room.Negotiate(peerId, peer.Offer(publish, publish ? VideoSsrc - 1 : 0, publish ? VideoSsrc : 0, publish ? VideoSsrc + 1 : 0)),
            SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(ThreePeerRoom.WaitUntil(() => room.GetStats().Where(s => s.PeerId == peerId).All(s => s.State == "connected"), 10), room.Engine.Diagnostics());
        return peer;
    }

    private void SendVideo(ushort firstSeq, int count) => RelayTestKit.SendVideo(_teacher, _buffer, firstSeq, count, VideoSsrc);

    /// <summary>The teacher sends a keyframe and two more frames at a time until the projector decrypts a packet it had not got before.</summary>
    private bool SendUntilReceived(SyntheticPeer subscriber, double seconds, ushort firstSeq = 1000)
    {
        var before = subscriber.RtpLog.Count;
        var round = 0;
        return ThreePeerRoom.WaitUntil(() =>
        {
            SendVideo((ushort)(firstSeq + (3 * round++)), 3);
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
        _relayE.Dispose();
        _a.Dispose();
        _e.Dispose();
    }
}
