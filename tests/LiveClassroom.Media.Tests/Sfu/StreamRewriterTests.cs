using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media.Tests.Sfu;

public sealed class StreamRewriterTests
{
    private const uint OutSsrc = 0xABCD0001;
    private const uint SourceA = 111;
    private const uint SourceB = 222;
    private static readonly long Tick = TimeSpan.TicksPerMillisecond * 33;

    [Fact]
    public void TryRewrite_SourceSwitchAtKeyframe_SequenceContinuesAndTimestampsStayMonotonic()
    {
        var r = new StreamRewriter(OutSsrc, 90000, initialSeq: 65530, initialTimestamp: 4_294_960_000);
        r.SwitchTo(SourceA);
        var now = 0L;
        var outSeqs = new List<ushort>();
        var outTs = new List<uint>();
        Assert.False(r.TryRewrite(SourceA, 10, 1000, isKeyframeStart: false, now, out _, out _));
        for (ushort i = 0; i < 20; i++)
        {
            now += Tick;
            Assert.True(r.TryRewrite(SourceA, (ushort)(11 + i), 1000 + 3000u * i, isKeyframeStart: i == 0, now, out var s, out var t));
            outSeqs.Add(s);
            outTs.Add(t);
        }

        r.SwitchTo(SourceB);
        now += Tick;
        // Until B's keyframe, A keeps flowing and B's delta frames are held back.
        Assert.False(r.TryRewrite(SourceB, 50_000, 7_000_000, isKeyframeStart: false, now, out _, out _));
        Assert.True(r.TryRewrite(SourceA, 31, 61_000, isKeyframeStart: false, now, out var sa, out var ta));
        outSeqs.Add(sa);
        outTs.Add(ta);
        for (ushort i = 0; i < 20; i++)
        {
            now += Tick;
            Assert.True(r.TryRewrite(SourceB, (ushort)(50_001 + i), 7_003_000 + 3000u * i, isKeyframeStart: i == 0, now, out var s, out var t));
            outSeqs.Add(s);
            outTs.Add(t);
        }
        // The old source is cut off after the switch.
        Assert.False(r.TryRewrite(SourceA, 32, 64_000, isKeyframeStart: false, now, out _, out _));

        for (var i = 1; i < outSeqs.Count; i++)
        {
            Assert.Equal((ushort)(outSeqs[i - 1] + 1), outSeqs[i]);
            Assert.True((int)(outTs[i] - outTs[i - 1]) > 0, $"timestamp went backwards at {i}: {outTs[i - 1]} → {outTs[i]}");
        }
        Assert.Equal(OutSsrc, r.OutSsrc);
        Assert.Equal(SourceB, r.CurrentSource);
        Assert.False(r.IsSwitchPending);
    }

    [Fact]
    public void TryRewrite_LayerSwitchToLowerSequenceNumbers_DropsPacketsFromBeforeTheSwitchPoint()
    {
        var r = new StreamRewriter(OutSsrc, 90000, 100, 5000);
        r.SwitchTo(SourceA);
        Assert.True(r.TryRewrite(SourceA, 40_000, 1, true, 0, out var first, out _));
        Assert.True(r.TryRewrite(SourceA, 40_001, 3001, false, Tick, out _, out _));
        r.SwitchTo(SourceB);
        Assert.True(r.TryRewrite(SourceB, 7, 90_000, true, 2 * Tick, out var switched, out _));
        Assert.Equal((ushort)(first + 2), switched);
        // A packet of the new layer that predates its keyframe never reached the subscriber's timeline.
        Assert.False(r.TryRewrite(SourceB, 6, 87_000, false, 2 * Tick, out _, out _));
        // Reordering after the switch point is kept, with the same offset.
        Assert.True(r.TryRewrite(SourceB, 9, 96_000, false, 3 * Tick, out var nine, out _));
        Assert.True(r.TryRewrite(SourceB, 8, 93_000, false, 3 * Tick, out var eight, out _));
        Assert.Equal((ushort)(switched + 2), nine);
        Assert.Equal((ushort)(switched + 1), eight);
    }

    [Fact]
    public void TryMapBack_SequenceInCurrentEpoch_MapsToTheSourceSequence()
    {
        var r = new StreamRewriter(OutSsrc, 90000, 1000, 0);
        r.SwitchTo(SourceA);
        for (ushort i = 0; i < 10; i++)
        {
            Assert.True(r.TryRewrite(SourceA, (ushort)(65530 + i), 3000u * i, i == 0, i * Tick, out _, out _));
        }

        Assert.True(r.TryMapBack(1003, out var source));
        Assert.Equal((ushort)65533, source);
        Assert.False(r.TryMapBack(999, out _));
        Assert.False(r.TryMapBack(1010, out _));
    }

    [Fact]
    public void Resync_AfterPause_ContinuesWithoutASequenceGap()
    {
        var r = new StreamRewriter(OutSsrc, 48000, 500, 0);
        r.SwitchTo(SourceA);
        Assert.True(r.TryRewrite(SourceA, 1, 960, true, 0, out var a, out var ta));
        r.Resync();
        // 200 packets were withheld (server-side mute); the subscriber must not see them as lost.
        Assert.True(r.TryRewrite(SourceA, 201, 960 * 201, true, TimeSpan.TicksPerSecond * 4, out var b, out var tb));
        Assert.Equal((ushort)(a + 1), b);
        Assert.InRange(tb - ta, 48000u * 3, 48000u * 5);
    }

    [Fact]
    public void Stop_ThenPackets_NothingIsForwarded()
    {
        var r = new StreamRewriter(OutSsrc, 90000, 0, 0);
        r.SwitchTo(SourceA);
        Assert.True(r.TryRewrite(SourceA, 1, 1, true, 0, out _, out _));
        r.Stop();
        Assert.False(r.TryRewrite(SourceA, 2, 2, true, Tick, out _, out _));
        Assert.False(r.HasSource);
    }

    [Fact]
    public void TryRewrite_MoreThanTwoSequenceCycles_EveryPacketForwardedInOrder()
    {
        // Regression: the epoch check compared 16-bit numbers, so 32,768 packets in every packet was dropped.
        var r = new StreamRewriter(OutSsrc, 90000, initialSeq: 40_000, initialTimestamp: 0);
        r.SwitchTo(SourceA);
        var expected = (ushort)40_000;
        for (var i = 0; i < 140_000; i++)
        {
            var seq = (ushort)(65_000 + i);
            Assert.True(r.TryRewrite(SourceA, seq, (uint)(3000L * i), i == 0, i * Tick, out var outSeq, out _), $"packet {i} dropped");
            Assert.Equal(expected, outSeq);
            expected++;
        }
        Assert.Equal(40_000L + 139_999, r.LastOutExtended);
        // A NACK for a packet sent 100 packets ago, after two wraps, maps back to the source's number.
        Assert.True(r.TryMapBack((ushort)(expected - 100), out var back));
        Assert.Equal(unchecked((ushort)(65_000 + 139_900)), back);
    }

    [Fact]
    public void TryRewrite_SwitchLongAfterAWrap_ContinuesTheSequenceAndDropsOldPackets()
    {
        var r = new StreamRewriter(OutSsrc, 90000, 1, 0);
        r.SwitchTo(SourceA);
        ushort last = 0;
        for (var i = 0; i < 70_000; i++)
        {
            Assert.True(r.TryRewrite(SourceA, (ushort)i, (uint)(3000L * i), i == 0, i * Tick, out last, out _));
        }
        r.SwitchTo(SourceB);
        Assert.True(r.TryRewrite(SourceB, 30_000, 5, true, 70_001 * Tick, out var first, out _));
        Assert.Equal((ushort)(last + 1), first);
        for (var i = 1; i < 40_000; i++)
        {
            Assert.True(r.TryRewrite(SourceB, (ushort)(30_000 + i), 5 + (uint)(3000L * i), false, (70_001 + i) * Tick, out var s, out _));
            Assert.Equal((ushort)(first + i), s);
        }
        // B's packets from before the switch point stay dropped, however far the stream has gone since.
        Assert.False(r.TryRewrite(SourceB, 29_999, 1, false, 110_002 * Tick, out _, out _));
    }

    [Fact]
    public void TryRewrite_SourceRenumbers_ConfirmedByTheNextPacket_ContinuesWithoutAGap()
    {
        var r = new StreamRewriter(OutSsrc, 48000, 100, 0);
        r.SwitchTo(SourceA);
        ushort last = 0;
        for (var i = 0; i < 10; i++)
        {
            Assert.True(r.TryRewrite(SourceA, (ushort)(1000 + i), 960u * (uint)i, true, i * Tick, out last, out _));
        }
        // One stray far away is dropped; the next packet in its line confirms the renumbering.
        Assert.False(r.TryRewrite(SourceA, 40_000, 1, true, 11 * Tick, out _, out _));
        Assert.True(r.TryRewrite(SourceA, 40_001, 961, true, 12 * Tick, out var resumed, out _));
        Assert.Equal((ushort)(last + 1), resumed);
        Assert.Equal(1, r.SourceRestarts);
        // A retransmission far behind (but not followed by its successor) is just dropped.
        Assert.True(r.TryRewrite(SourceA, 40_002, 1921, true, 13 * Tick, out _, out _));
        Assert.False(r.TryRewrite(SourceA, 30_000, 1, true, 14 * Tick, out _, out _));
        Assert.True(r.TryRewrite(SourceA, 40_003, 2881, true, 15 * Tick, out var next, out _));
        Assert.Equal((ushort)(resumed + 2), next);
    }

    [Fact]
    public void TryRewrite_TwoRecoveredPacketsFarBehindAfterAWrap_DroppedWithoutRestartingTheSource()
    {
        var r = new StreamRewriter(OutSsrc, 90000, 10, 0);
        r.SwitchTo(SourceA);
        ushort last = 0;
        for (var i = 0; i < 70_000; i++)
        {
            Assert.True(r.TryRewrite(SourceA, (ushort)(60_000 + i), (uint)(3000L * i), i == 0, i * Tick, out last, out _));
        }
        // Retransmissions (RTX) of two consecutive packets 5,000 behind: stale, and no evidence of a renumbering.
        var old = unchecked((ushort)(60_000 + 70_000 - 5_000));
        Assert.False(r.TryRewrite(SourceA, old, 1, false, 70_001 * Tick, out _, out _, isRetransmission: true));
        Assert.False(r.TryRewrite(SourceA, (ushort)(old + 1), 1, false, 70_002 * Tick, out _, out _, isRetransmission: true));
        Assert.Equal(0, r.SourceRestarts);
        // The live stream goes on without a gap; a recovered packet inside the window is forwarded with its own number.
        Assert.True(r.TryRewrite(SourceA, unchecked((ushort)(60_000 + 70_000)), 1, false, 70_003 * Tick, out var next, out _));
        Assert.Equal((ushort)(last + 1), next);
        Assert.True(r.TryRewrite(SourceA, unchecked((ushort)(60_000 + 70_000 - 20)), 1, false, 70_004 * Tick, out var resent, out _, isRetransmission: true));
        Assert.Equal((ushort)(next - 20), resent);
    }
}
