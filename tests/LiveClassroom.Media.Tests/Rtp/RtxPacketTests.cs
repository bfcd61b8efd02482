using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Tests.Rtp;

public sealed class RtxPacketTests
{
    [Fact]
    public void WrapThenUnwrap_RestoresOriginalPacket()
    {
        var buffer = new byte[64];
        var length = RtpHeaderWriter.WriteFixed(buffer, 96, true, 4242, 90000, 0x1111);
        buffer.AsSpan(length, 20).Fill(0x33);
        length += 20;
        var original = buffer.AsSpan(0, length).ToArray();

        Assert.True(RtxPacket.TryWrap(buffer, length, 97, 0x2222, 7, out var rtxLength));
        Assert.Equal(length + 2, rtxLength);
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(buffer.AsSpan(0, rtxLength), out var rtx));
        Assert.Equal((97, 0x2222u, (ushort)7), (rtx.PayloadType, rtx.Ssrc, rtx.SequenceNumber));
        Assert.Equal(new byte[] { 0x10, 0x92 }, buffer.AsSpan(12, 2).ToArray()); // OSN 4242

        Assert.True(RtxPacket.TryUnwrap(buffer.AsSpan(0, rtxLength), 96, 0x1111, out var plainLength));

        Assert.Equal(original, buffer.AsSpan(0, plainLength).ToArray());
    }

    [Fact]
    public void TryUnwrap_PaddingOnlyProbe_Fails()
    {
        var buffer = new byte[20];
        RtpHeaderWriter.WriteFixed(buffer, 97, false, 1, 1, 1);
        buffer[0] |= 0x20;
        buffer[19] = 8;

        Assert.False(RtxPacket.TryUnwrap(buffer, 96, 5, out _));
    }
}
