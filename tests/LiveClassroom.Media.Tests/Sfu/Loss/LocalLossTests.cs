using System.Buffers.Binary;
using System.Diagnostics;
using LiveClassroom.Media.Rtcp;

namespace LiveClassroom.Media.Tests.Sfu.Loss;

/// <summary>
/// One subscriber on a bad link must not reach the publisher or the other subscribers: NACKs stay local (RFC 4585
/// §6.2.1), retransmissions are budgeted, keyframe requests are coalesced. Real packets through a real MediaServer.
/// </summary>
public sealed class LocalLossTests : IDisposable
{
    private readonly ThreePeerRoom _room = new(ThreePeerRoom.Options());

    [Fact]
    public void Nack_FloodFromOneSubscriber_PublisherAskedOnlyOnceForTheOnePacketTheSfuNeverGot_OtherSubscriberUnaffected()
    {
        // Index 100 never leaves the publisher: the only packet the SFU may ask it for.
        _room.SendVideo(1000, 200, skip: 100);
        Assert.True(ThreePeerRoom.WaitUntil(() => ThreePeerRoom.Video(_room.A).Length >= 199 && ThreePeerRoom.Video(_room.B).Length >= 199),
            _room.Server.Diagnostics());
        var aFirst = ThreePeerRoom.Video(_room.A)[0];
        var aSsrc = BinaryPrimitives.ReadUInt32BigEndian(aFirst.AsSpan(8));
        var aSeq = BinaryPrimitives.ReadUInt16BigEndian(aFirst.AsSpan(2));
        var bFirst = ThreePeerRoom.Video(_room.B)[0];
        var bSsrc = BinaryPrimitives.ReadUInt32BigEndian(bFirst.AsSpan(8));
        var bSeq = BinaryPrimitives.ReadUInt16BigEndian(bFirst.AsSpan(2));

        // A NACKs all 200 numbers, 20 times over, as fast as it can; B asks five times for the one it really lacks.
        const int Rounds = 20;
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            for (var chunk = 0; chunk < 200; chunk += 50)
            {
                var seqs = Enumerable.Range(chunk, 50).Select(i => (ushort)(aSeq + i)).ToArray();
                ThreePeerRoom.SendNack(_room.A, aSsrc, seqs);
            }
            if (round < 5)
            {
                ThreePeerRoom.SendNack(_room.B, bSsrc, [(ushort)(bSeq + 100)]);
            }
        }
        static long Handled(MediaPeerStats s) => s.Retransmissions + s.RetransmissionsOverBudget + s.NacksDropped + s.NacksCoalesced + s.NacksForwarded;
        Assert.True(ThreePeerRoom.WaitUntil(() => Handled(_room.Stats("a")) == Rounds * 200 && Handled(_room.Stats("b")) == 5),
            $"a handled {Handled(_room.Stats("a"))}, b {Handled(_room.Stats("b"))}; {_room.Server.Diagnostics()}");
        var elapsed = clock.Elapsed.TotalSeconds;
        var a = _room.Stats("a");
        var b = _room.Stats("b");

        // The publisher was asked once, for its own number 1100, and for nothing it had already delivered: by the SFU
        // itself when the gap showed, so the subscribers' NACKs for it were coalesced into that request.
        Assert.Equal(0, a.NacksForwarded + b.NacksForwarded);
        Assert.True(a.NacksCoalesced + b.NacksCoalesced >= 1 + Rounds, $"coalesced {a.NacksCoalesced} + {b.NacksCoalesced}");
        Assert.Equal(1, _room.Stats("pub").NacksReceivedUpstream);
        // A later receiver report shows every NACK the SFU sent has reached the publisher (one socket, in order).
        var reports = ReceiverReports(_room.Publisher);
        Assert.True(ThreePeerRoom.WaitUntil(() => ReceiverReports(_room.Publisher) > reports + 1), "no receiver report after the flood");
        Assert.Equal([(ushort)1100], ThreePeerRoom.NacksReceived(_room.Publisher, ThreePeerRoom.VideoSsrc));
        // 135 received-but-evicted numbers per round were dropped; the cached 64 were answered within A's budget only.
        Assert.True(a.NacksDropped >= Rounds * 135, $"dropped {a.NacksDropped}");
        Assert.True(a.RetransmissionsOverBudget > 0, "the flood was never limited");
        var resentBytes = a.Retransmissions * (12 + ThreePeerRoom.PayloadLength);
        var allowed = (2 * 1500) + (80_000 / 8.0 * elapsed) + 12 + ThreePeerRoom.PayloadLength;
        Assert.True(resentBytes <= allowed, $"{resentBytes} bytes resent in {elapsed:F2} s, budget {allowed:F0}");
        Assert.True(a.Retransmissions > 0);

        // B got every packet once and nothing else; its stream goes on untouched.
        _room.SendVideo(1200, 50);
        Assert.True(ThreePeerRoom.WaitUntil(() => ThreePeerRoom.Video(_room.B).Length >= 249), _room.Server.Diagnostics());
        var bSeqs = ThreePeerRoom.Video(_room.B).Select(p => BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2))).ToArray();
        Assert.Equal(249, bSeqs.Length);
        Assert.Equal(bSeqs.Length, bSeqs.Distinct().Count());
        Assert.Equal(0, b.Retransmissions);
    }

    [Fact]
    public void Gap_NoSubscriberAsks_SfuAsksThePublisherOnceForEachMissingPacket()
    {
        // The recorder takes the SFU's packets and cannot ask for a lost one: the SFU asks as soon as the gap shows,
        // whoever watches. Three single losses and a burst of three; a gap longer than 64 (an outage) is not asked.
        _room.SendVideo(4000, 200, skip: [20, 50, 51, 52, 90]);
        _room.SendVideo(4300, 10);
        Assert.True(ThreePeerRoom.WaitUntil(() => _room.Stats("pub").NacksReceivedUpstream >= 4 && ThreePeerRoom.Video(_room.A).Length >= 200),
            _room.Server.Diagnostics());
        // A later receiver report shows every NACK the SFU sent has reached the publisher (one socket, in order).
        var reports = ReceiverReports(_room.Publisher);
        Assert.True(ThreePeerRoom.WaitUntil(() => ReceiverReports(_room.Publisher) > reports + 1), "no receiver report after the gaps");
        Assert.Equal(new ushort[] { 4020, 4050, 4051, 4052, 4090 }, ThreePeerRoom.NacksReceived(_room.Publisher, ThreePeerRoom.VideoSsrc).Order().ToArray());
        Assert.Equal(5, _room.Stats("pub").NacksReceivedUpstream);
        Assert.Equal(0, _room.Stats("a").NacksForwarded + _room.Stats("b").NacksForwarded);
    }

    [Fact]
    public void Pli_FromBothSubscribersRepeatedly_CoalescedIntoFewKeyframeRequests()
    {
        _room.SendVideo(3000, 10);
        Assert.True(ThreePeerRoom.WaitUntil(() => ThreePeerRoom.Video(_room.A).Length >= 10 && ThreePeerRoom.Video(_room.B).Length >= 10));
        var aSsrc = BinaryPrimitives.ReadUInt32BigEndian(ThreePeerRoom.Video(_room.A)[0].AsSpan(8));
        var bSsrc = BinaryPrimitives.ReadUInt32BigEndian(ThreePeerRoom.Video(_room.B)[0].AsSpan(8));
        var before = _room.Stats("pub");

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 30; i++)
        {
            ThreePeerRoom.SendPli(_room.A, aSsrc);
            ThreePeerRoom.SendPli(_room.B, bSsrc);
        }
        static long Seen(MediaPeerStats s) => s.KeyframeRequests + s.KeyframeRequestsCoalesced;
        Assert.True(ThreePeerRoom.WaitUntil(() => Seen(_room.Stats("pub")) - Seen(before) == 60), _room.Server.Diagnostics());
        var elapsed = clock.Elapsed;

        var sent = _room.Stats("pub").KeyframeRequests - before.KeyframeRequests;
        // At most one per KeyframeRequestInterval (1 s here) however many were asked for.
        Assert.InRange(sent, 0, 1 + (long)elapsed.TotalSeconds);
        Assert.True(_room.Stats("pub").KeyframeRequestsCoalesced - before.KeyframeRequestsCoalesced >= 60 - sent);
    }

    private static int ReceiverReports(LoadTests.SyntheticPeer peer) =>
        ThreePeerRoom.CountRtcp(peer, (item, _) => item.PacketType == RtcpPacketType.ReceiverReport);

    public void Dispose() => _room.Dispose();
}
