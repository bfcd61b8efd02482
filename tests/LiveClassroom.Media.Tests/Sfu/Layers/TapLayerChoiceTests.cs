using System.Buffers.Binary;
using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media.Tests.Sfu.Layers;

public sealed class TapLayerChoiceTests
{
    private const uint Low = 1001;
    private const uint High = 3003;
    private const long FrameMillis = 40;

    private sealed class Layer(uint ssrc, int rank, ushort seq, uint timestamp)
    {
        public uint Ssrc { get; } = ssrc;
        public int Rank { get; } = rank;
        public ushort Seq { get; set; } = seq;
        public uint Timestamp { get; set; } = timestamp;
    }

    private static byte[] Packet(Layer layer)
    {
        var p = new byte[20];
        p[0] = 0x80;
        p[1] = 102;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), layer.Seq);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(4), layer.Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(8), layer.Ssrc);
        p[12] = 0x42;
        return p;
    }

    /// <summary>One frame (one packet) of <paramref name="layer"/> through the choice; the packet out (or null) and the keyframe asked for.</summary>
    private static (byte[]? Out, uint Request) Feed(TapLayerChoice choice, Layer layer, bool keyframe, long now)
    {
        var p = Packet(layer);
        layer.Seq++;
        layer.Timestamp += 3600;
        var accepted = choice.Accept(layer.Ssrc, layer.Rank, p, 12, keyframe, recovered: false, isVp8: false, now, out var request);
        return (accepted ? p : null, request);
    }

    private static (ushort Seq, uint Ts, uint Ssrc) Header(byte[] p) =>
        (BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2)), BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(4)), BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(8)));

    [Fact]
    public void Accept_SingleLayer_PacketsUnchanged()
    {
        var choice = new TapLayerChoice();
        var layer = new Layer(Low, 0, 65_530, 4_294_960_000);
        for (var i = 0; i < 50; i++)
        {
            var expected = Packet(layer);
            var (p, request) = Feed(choice, layer, keyframe: i % 25 == 3, i * FrameMillis);
            Assert.NotNull(p);
            Assert.Equal(expected, p);
            Assert.Equal(0u, request);
        }
        Assert.Equal(0, choice.Switches);
    }

    [Fact]
    public void Accept_BetterLayerSteady_AsksItsKeyframeAndSwitchesThereWithContinuousNumbering()
    {
        var choice = new TapLayerChoice();
        var low = new Layer(Low, 0, 100, 5000);
        var high = new Layer(High, 2, 40_000, 900_000);
        var outs = new List<(ushort Seq, uint Ts, uint Ssrc)>();
        var requests = new List<(long At, uint Ssrc)>();
        var now = 0L;
        // The low layer alone for 0.5 s: the tap starts on it at once (no keyframe needed for the first packet).
        for (var i = 0; i < 12; i++, now += FrameMillis)
        {
            var (p, r) = Feed(choice, low, keyframe: false, now);
            outs.Add(Header(p!));
            Assert.Equal(0u, r);
        }
        // Then both; the high layer's keyframes come every 25 frames, the first at frame 40 (1.6 s after it started).
        for (var i = 0; i < 80; i++, now += FrameMillis)
        {
            var (pl, rl) = Feed(choice, low, keyframe: false, now);
            var (ph, rh) = Feed(choice, high, keyframe: i == 40, now);
            if (rl != 0 || rh != 0)
            {
                requests.Add((now, rl | rh));
            }
            // In one frame's time the low layer's packet may still go out just before the high layer's keyframe, never after it.
            Assert.False(pl is not null && choice.Switches > 0 && ph is null, "the low layer reached the tap after the switch at " + now);
            if (pl is not null)
            {
                outs.Add(Header(pl));
            }
            if (ph is not null)
            {
                outs.Add(Header(ph));
            }
            if (i < 40)
            {
                Assert.Null(ph);
            }
        }
        Assert.Equal(1, choice.Switches);
        Assert.Equal(High, choice.Current);
        Assert.Null(choice.Target);
        // Asked for the high layer's keyframe once it had flowed 1 s, and again each second until it came.
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Equal(High, r.Ssrc));
        Assert.InRange(requests[0].At - 12 * FrameMillis, TapLayerChoice.SteadyForMillis, TapLayerChoice.SteadyForMillis + FrameMillis);
        // One stream: the first layer's SSRC, every number once and in order, time never going back.
        Assert.All(outs, o => Assert.Equal(Low, o.Ssrc));
        for (var i = 1; i < outs.Count; i++)
        {
            Assert.Equal((ushort)(outs[i - 1].Seq + 1), outs[i].Seq);
            Assert.True((int)(outs[i].Ts - outs[i - 1].Ts) > 0, $"timestamp went back at packet {i}");
        }
    }

    [Fact]
    public void Accept_CurrentLayerStops_SwitchesDownAtTheLowLayersKeyframe()
    {
        var choice = new TapLayerChoice();
        var low = new Layer(Low, 0, 100, 5000);
        var high = new Layer(High, 2, 40_000, 900_000);
        var now = 0L;
        // Both from the start, the tap on the high layer (the first packet seen).
        for (var i = 0; i < 30; i++, now += FrameMillis)
        {
            Assert.NotNull(Feed(choice, high, keyframe: false, now).Out);
            Assert.Null(Feed(choice, low, keyframe: false, now).Out);
        }
        // The publisher drops its top layer: the low layer is asked for a keyframe 1 s later and taken from it.
        var requested = -1L;
        var switchedAt = -1L;
        for (var i = 0; i < 60; i++, now += FrameMillis)
        {
            var (p, r) = Feed(choice, low, keyframe: i == 35, now);
            if (r == Low && requested < 0)
            {
                requested = now;
            }
            if (p is not null && switchedAt < 0)
            {
                switchedAt = now;
            }
        }
        Assert.InRange(requested - 29 * FrameMillis, TapLayerChoice.StoppedAfterMillis, TapLayerChoice.StoppedAfterMillis + FrameMillis);
        Assert.Equal(30 * FrameMillis + 35 * FrameMillis, switchedAt);
        Assert.Equal(Low, choice.Current);
        Assert.Equal(1, choice.Switches);
    }
}
