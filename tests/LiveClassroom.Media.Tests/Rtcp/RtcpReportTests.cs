using System.Text;
using LiveClassroom.Media.Rtcp;

namespace LiveClassroom.Media.Tests.Rtcp;

public sealed class RtcpReportTests
{
    private static readonly RtcpReportBlock BlockA = new(0x11111111, 25, -3, 0x0001FFFF, 42, 0xAABBCCDD, 65536);
    private static readonly RtcpReportBlock BlockB = new(0x22222222, 0, 1_000_000, 7, 0, 0, 0);

    [Fact]
    public void Compound_SrSdesByeWritten_IteratesAndParsesBack()
    {
        var buffer = new byte[300];
        var n = RtcpWriter.WriteSenderReport(buffer, 0xCAFEBABE, 0x0102030405060708, 90000, 10, 12000, [BlockA, BlockB]);
        n += RtcpWriter.WriteSdesCname(buffer.AsSpan(n), 0xCAFEBABE, "lead-teacher"u8);
        n += RtcpWriter.WriteBye(buffer.AsSpan(n), [0xCAFEBABE]);
        var compound = buffer.AsSpan(0, n).ToArray();

        var types = new List<byte>();
        var e = new RtcpCompoundEnumerator(compound);
        while (e.MoveNext())
        {
            var packet = e.Current.Slice((ReadOnlySpan<byte>)compound);
            types.Add(e.Current.PacketType);
            switch (e.Current.PacketType)
            {
                case RtcpPacketType.SenderReport:
                    Assert.True(RtcpSenderReport.TryParse(packet, out var sr));
                    Assert.Equal(new RtcpSenderReport(0xCAFEBABE, 0x0102030405060708, 90000, 10, 12000, 2), sr);
                    Assert.Equal(0x03040506u, sr.CompactNtp);
                    Assert.Equal(BlockA, RtcpSenderReport.GetReportBlock(packet, 0));
                    Assert.Equal(BlockB, RtcpSenderReport.GetReportBlock(packet, 1));
                    break;
                case RtcpPacketType.SourceDescription:
                    var sdes = new RtcpSdesEnumerator(packet);
                    Assert.True(sdes.MoveNext());
                    Assert.Equal(0xCAFEBABEu, sdes.Ssrc);
                    Assert.Equal("lead-teacher", Encoding.ASCII.GetString(sdes.Cname));
                    Assert.False(sdes.MoveNext());
                    Assert.False(sdes.IsMalformed);
                    break;
                case RtcpPacketType.Goodbye:
                    Assert.True(RtcpBye.TryGetSourceCount(packet, out var count));
                    Assert.Equal(1, count);
                    Assert.Equal(0xCAFEBABEu, RtcpBye.GetSsrc(packet, 0));
                    break;
            }
        }

        Assert.False(e.IsMalformed);
        Assert.Equal([RtcpPacketType.SenderReport, RtcpPacketType.SourceDescription, RtcpPacketType.Goodbye], types);
    }

    [Fact]
    public void ReceiverReport_RoundTrip_KeepsBlocks()
    {
        var buffer = new byte[100];
        var n = RtcpWriter.WriteReceiverReport(buffer, 5, [BlockA]);

        Assert.True(RtcpReceiverReport.TryParse(buffer.AsSpan(0, n), out var rr));
        Assert.Equal(new RtcpReceiverReport(5, 1), rr);
        Assert.Equal(BlockA, RtcpReceiverReport.GetReportBlock(buffer.AsSpan(0, n), 0));
    }

    [Fact]
    public void Bye_WithReason_ReadsReason()
    {
        byte[] bye = [0x81, 203, 0, 3, 0, 0, 0, 9, 3, (byte)'b', (byte)'y', (byte)'e'];

        Assert.True(RtcpBye.TryGetSourceCount(bye, out var count));
        Assert.Equal(1, count);
        Assert.Equal("bye", Encoding.ASCII.GetString(RtcpBye.GetReason(bye)));
    }

    [Fact]
    public void Enumerator_LengthBeyondBuffer_IsMalformed()
    {
        byte[] bad = [0x80, 201, 0, 9, 0, 0, 0, 1];

        var e = new RtcpCompoundEnumerator(bad);

        Assert.False(e.MoveNext());
        Assert.True(e.IsMalformed);
        Assert.False(RtcpCompoundEnumerator.IsValid(bad));
    }

    [Fact]
    public void Enumerator_ReducedSizePliAlone_IsValid()
    {
        var buffer = new byte[12];
        RtcpWriter.WritePli(buffer, 1, 2);

        Assert.True(RtcpCompoundEnumerator.IsValid(buffer));
    }

    [Fact]
    public void RoundTrip_LsrAndDlsr_GivesRtt()
    {
        var sent = NtpTimestamp.FromDateTime(new DateTimeOffset(2026, 11, 22, 20, 0, 0, TimeSpan.Zero));
        var arrival = NtpTimestamp.FromDateTime(new DateTimeOffset(2026, 11, 22, 20, 0, 1, 250, TimeSpan.Zero));
        var dlsr = 65536u; // the receiver held the report for one second

        var rtt = NtpTimestamp.RoundTrip(NtpTimestamp.Compact(arrival), NtpTimestamp.Compact(sent), dlsr);

        Assert.NotNull(rtt);
        Assert.InRange(rtt.Value.TotalMilliseconds, 249, 251);
    }
}
