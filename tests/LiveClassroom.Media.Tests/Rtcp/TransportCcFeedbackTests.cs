using LiveClassroom.Media.Rtcp;

namespace LiveClassroom.Media.Tests.Rtcp;

public sealed class TransportCcFeedbackTests
{
    [Fact]
    public void TryParse_HandEncodedOneBitVector_DecodesStatusesAndDeltas()
    {
        // base 5, count 3, reference time 1 (64 ms), fb count 9; 1-bit vector: received, lost, received; deltas 4, 8.
        byte[] fci = [0, 5, 0, 3, 0, 0, 1, 9, 0xA8, 0x00, 4, 8];
        var packets = new TransportCcPacket[3];

        Assert.True(TransportCcFeedback.TryParse(fci, packets, out var header));

        Assert.Equal(new TransportCcHeader(5, 3, 1, 9), header);
        Assert.Equal(new TransportCcPacket(5, TransportCcStatus.SmallDelta, 4), packets[0]);
        Assert.Equal(new TransportCcPacket(6, TransportCcStatus.NotReceived, 0), packets[1]);
        Assert.Equal(new TransportCcPacket(7, TransportCcStatus.SmallDelta, 8), packets[2]);
    }

    [Fact]
    public void TryParse_RunLengthAndTwoBitVector_Decodes()
    {
        // base 65534, count 9: run of 2 "small" (wrapping the sequence), then a 2-bit vector: large, lost, small, lost×4.
        byte[] fci = [0xFF, 0xFE, 0, 9, 0xFF, 0xFF, 0xFF, 0, 0x20, 0x02, 0xC0 | 0x21, 0x00, 1, 2, 0xFF, 0xF0, 3];
        var packets = new TransportCcPacket[9];

        Assert.True(TransportCcFeedback.TryParse(fci, packets, out var header));

        Assert.Equal(-1, header.ReferenceTime);
        Assert.Equal((ushort)0, packets[2].Sequence);
        Assert.Equal(new TransportCcPacket(0, TransportCcStatus.LargeDelta, -16), packets[2]);
        Assert.Equal(TransportCcStatus.NotReceived, packets[3].Status);
        Assert.Equal(new TransportCcPacket(2, TransportCcStatus.SmallDelta, 3), packets[4]);
        Assert.Equal(TransportCcStatus.NotReceived, packets[8].Status);
    }

    [Fact]
    public void Builder_MixedArrivals_RoundTripsThroughParser()
    {
        var builder = new TransportCcFeedbackBuilder();
        builder.Reset(65530, 3);
        var arrivals = new Dictionary<ushort, long>();
        var t = 5_000_000L;
        for (var i = 0; i < 60; i++)
        {
            var seq = (ushort)(65530 + i);
            if (i % 9 == 4 || i is > 30 and < 50)
            {
                continue; // lost, including a long run
            }
            t += i == 20 ? 100_000 : i == 25 ? -2_000 : 1_000; // one large jump, one negative delta
            Assert.True(builder.TryAddReceived(seq, t));
            arrivals[seq] = t;
        }
        var buffer = new byte[400];

        var n = builder.Write(buffer, 1, 2);

        Assert.True(n > 0 && n % 4 == 0);
        Assert.True(RtcpCompoundEnumerator.IsValid(buffer.AsSpan(0, n)));
        var e = new RtcpCompoundEnumerator(buffer.AsSpan(0, n));
        Assert.True(e.MoveNext());
        var packet = e.Current.Slice((ReadOnlySpan<byte>)buffer.AsSpan(0, n));
        Assert.True(RtcpFeedbackHeader.TryParse(packet, out var fb));
        Assert.True(fb.IsTransportCc);
        Assert.True(TransportCcFeedback.TryReadHeader(fb.Fci(packet), out var header));
        var packets = new TransportCcPacket[header.PacketStatusCount];
        Assert.True(TransportCcFeedback.TryParse(fb.Fci(packet), packets, out _));

        Assert.Equal(65530, header.BaseSequence);
        Assert.Equal(3, header.FeedbackCount);
        var time = header.ReferenceTimeUs;
        var received = 0;
        foreach (var p in packets)
        {
            if (!p.Received)
            {
                Assert.False(arrivals.ContainsKey(p.Sequence));
                continue;
            }
            time += p.DeltaTicks * TransportCcPacket.MicrosecondsPerTick;
            Assert.InRange(time, arrivals[p.Sequence] - 250, arrivals[p.Sequence]);
            received++;
        }
        Assert.Equal(arrivals.Count, received);
    }

    [Fact]
    public void Builder_OutOfOrderSequence_IsRefused()
    {
        var builder = new TransportCcFeedbackBuilder();
        builder.Reset(100, 0);

        Assert.True(builder.TryAddReceived(105, 1000));
        Assert.False(builder.TryAddReceived(103, 2000));
        Assert.Equal(6, builder.PacketCount);
    }

    [Fact]
    public void TryParse_ChunksShorterThanStatusCount_Fails()
    {
        byte[] fci = [0, 5, 0, 40, 0, 0, 1, 9, 0xA8, 0x00];

        Assert.False(TransportCcFeedback.TryParse(fci, new TransportCcPacket[40], out _));
    }
}
