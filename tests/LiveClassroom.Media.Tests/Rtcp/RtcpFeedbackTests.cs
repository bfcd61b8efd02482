using LiveClassroom.Media.Rtcp;

namespace LiveClassroom.Media.Tests.Rtcp;

public sealed class RtcpFeedbackTests
{
    [Fact]
    public void Nack_WriteThenExpand_ReturnsSameSequenceNumbers()
    {
        ushort[] lost = [100, 101, 105, 116, 117, 200, 65535, 0, 3];
        var buffer = new byte[100];

        var n = RtcpWriter.WriteNack(buffer, 1, 0x55, lost.AsSpan(0, 6));
        n += RtcpWriter.WriteNack(buffer.AsSpan(n), 1, 0x55, lost.AsSpan(6));

        var all = new List<ushort>();
        var e = new RtcpCompoundEnumerator(buffer.AsSpan(0, n));
        while (e.MoveNext())
        {
            var packet = e.Current.Slice((ReadOnlySpan<byte>)buffer.AsSpan(0, n));
            Assert.True(RtcpFeedbackHeader.TryParse(packet, out var fb));
            Assert.True(fb.IsNack);
            Assert.Equal(0x55u, fb.MediaSsrc);
            var expanded = new ushort[64];
            var count = RtcpNack.Expand(fb.Fci(packet), expanded);
            all.AddRange(expanded.AsSpan(0, count).ToArray());
        }

        Assert.Equal(lost, all);
    }

    [Fact]
    public void NackFci_PidAndBlp_MatchRfc4585Layout()
    {
        var fci = new byte[16];

        var n = RtcpNack.WriteFci(fci, [100, 101, 105, 116, 117]);

        // 100 with bits for 101 (bit 0), 105 (bit 4), 116 (bit 15); then 117 alone.
        Assert.Equal(new byte[] { 0, 100, 0x80, 0x11, 0, 117, 0, 0 }, fci.AsSpan(0, n).ToArray());
    }

    [Fact]
    public void Expand_DestinationFull_StopsWithoutOverrun()
    {
        byte[] fci = [0, 1, 0xFF, 0xFF];
        var lost = new ushort[5];

        Assert.Equal(5, RtcpNack.Expand(fci, lost));
    }

    [Fact]
    public void Pli_Written_ParsesAsPli()
    {
        var buffer = new byte[12];

        Assert.Equal(12, RtcpWriter.WritePli(buffer, 7, 9));

        Assert.True(RtcpFeedbackHeader.TryParse(buffer, out var fb));
        Assert.True(fb.IsPli);
        Assert.Equal((7u, 9u, 0), (fb.SenderSsrc, fb.MediaSsrc, fb.FciLength));
    }

    [Fact]
    public void Fir_Written_CarriesTargetAndSequenceInFci()
    {
        var buffer = new byte[20];

        Assert.Equal(20, RtcpWriter.WriteFir(buffer, 7, 0xABCD, 42));

        Assert.True(RtcpFeedbackHeader.TryParse(buffer, out var fb));
        Assert.True(fb.IsFir);
        Assert.Equal(0u, fb.MediaSsrc);
        Assert.Equal(1, RtcpFir.EntryCount(fb.Fci(buffer)));
        Assert.Equal((0xABCDu, (byte)42), RtcpFir.GetEntry(fb.Fci(buffer), 0));
    }

    [Theory]
    [InlineData(256_000UL)]
    [InlineData(2_500_000UL)]
    [InlineData(30_000_000UL)]
    public void Remb_WriteThenParse_KeepsBitrateWithinMantissaPrecision(ulong bitrate)
    {
        var buffer = new byte[40];

        var n = RtcpWriter.WriteRemb(buffer, 1, bitrate, [0x10, 0x20]);

        Assert.True(RtcpFeedbackHeader.TryParse(buffer.AsSpan(0, n), out var fb));
        Assert.True(fb.IsApplicationLayer);
        Assert.True(RtcpRemb.TryParse(fb.Fci(buffer.AsSpan(0, n)), out var parsed, out var count));
        Assert.Equal(2, count);
        Assert.Equal(0x20u, RtcpRemb.GetSsrc(fb.Fci(buffer.AsSpan(0, n)), 1));
        Assert.InRange(parsed, bitrate - (bitrate >> 17), bitrate);
    }
}
