using System.Net;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Relay;
using LiveClassroom.Media.Tests.Ice;
using LiveClassroom.Media.Tests.Sfu.Loss;

namespace LiveClassroom.Media.Tests.Relay;

/// <summary>
/// The class's origin node stalls past the relay's silence limit (a GC pause, a CPU-starved VM, a blip of the path
/// between the nodes) and then runs again (issue #17). Origin A feeds edge E the teacher through a proxy that loses
/// everything while A "stalls"; E's heartbeats reach A directly, as they would wait in a stalled process's socket
/// buffer. Routes are the class grain's (no auto-routing). The grain on A takes E for lost when A has not heard E for 2 s
/// (ClassroomGrain.Cascade.cs, EdgeSilenceLimit), and it opens no link again by itself: the link must simply go on.
/// </summary>
public sealed class MediaRelayOriginStallTests : IDisposable
{
    private const string Room = "class-6";
    private const uint VideoSsrc = 0x5858_0002;
    private static readonly TimeSpan GrainEdgeSilenceLimit = TimeSpan.FromSeconds(2);
    private static readonly byte[] Key = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate("relay-origin-stall-test");
    private readonly ManualTimeProvider _clockA = new();
    private readonly MediaServer _a = RelayTestKit.NewServer();
    private readonly MediaServer _e = RelayTestKit.NewServer();
    private readonly MediaRelay _relayA;
    private readonly MediaRelay _relayE;
    private readonly RelayProxy _toE;
    private readonly SyntheticPeer _teacher;
    private readonly List<SyntheticPeer> _peers = [];
    private readonly byte[] _buffer = new byte[1600];

    public MediaRelayOriginStallTests()
    {
        var roomA = _a.CreateRoom(Room);
        _teacher = Connect(_a, roomA, "teacher", publish: true);
        _relayA = new MediaRelay(_a, new MediaRelayOptions { BindAddress = IPAddress.Loopback, Time = _clockA });
        _relayE = new MediaRelay(_e, new MediaRelayOptions { BindAddress = IPAddress.Loopback });
        _toE = new RelayProxy(_relayE.LocalEndPoint);
    }

    [Fact]
    public void OriginStallsPastTheSilenceLimit_ThenRuns_TheEdgeTakesTheTeacherBackOnTheSameLink()
    {
        var (roomE, projector) = Edge(linkId: 61);

        // A stalls: nothing of it reaches E. On A's own clock no time passes (nothing of A runs).
        _toE.Blocked = true;
        Assert.True(ThreePeerRoom.WaitUntil(() => !roomE.PeerIds.Contains("teacher"), RelaySocket.SilenceLimit.TotalSeconds + 5),
            "E never gave up on its silent origin");
        Assert.Empty(roomE.Engine.ListenersOf("teacher", "1"));
        // A runs again: its clock has jumped past the stall, its timer finds itself late, E is heard again.
        _clockA.Advance(RelaySocket.SilenceLimit + TimeSpan.FromSeconds(2));
        _toE.Blocked = false;
        var running = System.Diagnostics.Stopwatch.StartNew();
        var heardAtRun = Assert.Single(_relayA.GetStats()).PacketsReceived;

        // No new link: the edge's end of link 61 takes the teacher back from A's next track table.
        Assert.True(ThreePeerRoom.WaitUntil(() => roomE.PeerIds.Contains("teacher"), 10), 
            $"the stand-in never came back; E's links: [{Links(_relayE)}]; A heard {Assert.Single(_relayA.GetStats()).PacketsReceived - heardAtRun} datagrams from E since it ran again");
        var back = running.Elapsed;
        var got = SendUntilReceived(projector, seconds: 10, firstSeq: 5000);
        // Printed, never asserted (speed is for benchmarks).
        Console.WriteLine($"origin stall: stand-in back on E {back.TotalMilliseconds:F0} ms, projector's first packet {running.Elapsed.TotalMilliseconds:F0} ms after A ran again");
        Assert.True(got, $"the projector got nothing after A ran again; {_e.Diagnostics()}");
        // E heartbeat the link it suspended all along: A's class grain never finds the live edge silent (no MediaNodeLost).
        var heard = Assert.Single(_relayA.GetStats()).PacketsReceived;
        Assert.True(ThreePeerRoom.WaitUntil(() => Assert.Single(_relayA.GetStats()).PacketsReceived >= heard + 4, 5),
            "E no longer heartbeats the link: A's class grain would take the live edge for lost (MediaNodeLost)");
        WaitForRounds(_relayA);
        Assert.Equal(["projector/1"], roomE.Engine.ListenersOf("teacher", "1"));
        Assert.Equal(1, roomE.Engine.SlotsRebound);
        Assert.True(_relayA.Silence(61) < GrainEdgeSilenceLimit, $"A hears E as silent for {_relayA.Silence(61)}");
        var edgeEnd = Assert.Single(_relayE.GetStats());
        Assert.Equal((61u, false, 1L), (edgeEnd.LinkId, edgeEnd.Suspended, edgeEnd.Suspensions));
        var originEnd = Assert.Single(_relayA.GetStats());
        Assert.Equal((false, 0L), (originEnd.Suspended, originEnd.Suspensions));
        Assert.Equal(1, _relayA.Stalls);
    }

    [Fact]
    public void NodeItselfStalled_ItsLinksAreNotTakenForSilent_OnlySilenceWhileItRunsCounts()
    {
        _ = Edge(linkId: 62);
        // E goes away for good; A stalls meanwhile, and its clock jumps past the silence limit when it runs again.
        _relayE.Dispose();
        WaitForRounds(_relayA);
        _clockA.Advance(RelaySocket.SilenceLimit + TimeSpan.FromSeconds(2));

        // Before its timer has run again, A cannot tell; after, only the time since it runs counts.
        Assert.Equal(TimeSpan.Zero, _relayA.Silence(62));
        WaitForRounds(_relayA);
        Assert.Equal(1, _relayA.Stalls);
        Assert.True(_relayA.Silence(62) < GrainEdgeSilenceLimit, $"A takes its own stall for E's silence: {_relayA.Silence(62)}");
        Assert.False(Assert.Single(_relayA.GetStats()).Suspended);

        // E stays silent while A runs: the grain's 2 s, then the link's suspension, then past the dormant limit it closes.
        Step(_relayA, _clockA, GrainEdgeSilenceLimit);
        Assert.True(_relayA.Silence(62) >= GrainEdgeSilenceLimit, $"silent for {_relayA.Silence(62)}");
        Step(_relayA, _clockA, RelaySocket.SilenceLimit - GrainEdgeSilenceLimit + TimeSpan.FromSeconds(1));
        Assert.True(Assert.Single(_relayA.GetStats()).Suspended, "a link silent past the limit while its node runs is not suspended");
        Step(_relayA, _clockA, RelaySocket.DormantLimit - RelaySocket.SilenceLimit);
        Assert.Null(_relayA.Silence(62));
        Assert.Equal(1, _relayA.Stalls);
    }

    /// <summary>Moves a relay's manual clock by <paramref name="by"/> in steps its timer sees one by one (none a stall).</summary>
    private static void Step(MediaRelay relay, ManualTimeProvider clock, TimeSpan by)
    {
        var step = RelaySocket.StallLimit * 0.9;
        for (var moved = TimeSpan.Zero; moved < by; moved += step)
        {
            clock.Advance(step);
            WaitForRounds(relay);
        }
    }

    /// <summary>Waits until the relay's timer has begun and finished a round after now.</summary>
    private static void WaitForRounds(MediaRelay relay)
    {
        var rounds = relay.TimerRounds;
        Assert.True(ThreePeerRoom.WaitUntil(() => relay.TimerRounds >= rounds + 2, 5), "the relay timer does not run");
    }

    private static string Links(MediaRelay relay) => string.Join("; ", relay.GetStats());

    /// <summary>A feeds E the teacher through the proxy; a projector on E is routed to the stand-in's video and gets it.</summary>
    private (MediaRoom Room, SyntheticPeer Projector) Edge(uint linkId)
    {
        _relayE.Receive(Room, linkId, Key, _relayA.LocalEndPoint);
        _relayA.Feed(Room, linkId, Key, _toE.EndPoint, ["teacher"]);
        var room = _e.GetRoom(Room)!;
        Assert.True(ThreePeerRoom.WaitUntil(() => room.PeerIds.Contains("teacher"), 10), "the edge never learnt the teacher's tracks");
        var projector = Connect(_e, room, "projector", publish: false);
        room.Route("projector", "1", new MediaTrackSource("teacher", "1"));
        Assert.True(SendUntilReceived(projector, seconds: 10), $"no relayed packet at first; {_e.Diagnostics()}");
        return (room, projector);
    }

    private SyntheticPeer Connect(MediaServer server, MediaRoom room, string peerId, bool publish)
    {
        var peer = new SyntheticPeer(_certificate, server.LocalEndPoint, publish ? 16 : 1024) { KeepPackets = true };
        _peers.Add(peer);
        peer.Connect(room.Negotiate(peerId, peer.Offer(publish, publish ? VideoSsrc - 1 : 0, publish ? VideoSsrc : 0, publish ? VideoSsrc + 1 : 0)),
            SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(ThreePeerRoom.WaitUntil(() => room.GetStats().Where(s => s.PeerId == peerId).All(s => s.State == "connected"), 10), room.Engine.Diagnostics());
        return peer;
    }

    /// <summary>The teacher sends a keyframe and two more frames at a time until the projector decrypts a packet it had not got before.</summary>
    private bool SendUntilReceived(SyntheticPeer subscriber, double seconds, ushort firstSeq = 1000)
    {
        var before = subscriber.RtpLog.Count;
        var round = 0;
        return ThreePeerRoom.WaitUntil(() =>
        {
            RelayTestKit.SendVideo(_teacher, _buffer, (ushort)(firstSeq + (3 * round++)), 3, VideoSsrc);
            return subscriber.RtpLog.Count > before;
        }, seconds);
    }

    public void Dispose()
    {
        foreach (var peer in _peers)
        {
            peer.Dispose();
        }
        _toE.Dispose();
        _relayA.Dispose();
        _relayE.Dispose();
        _a.Dispose();
        _e.Dispose();
    }
}
