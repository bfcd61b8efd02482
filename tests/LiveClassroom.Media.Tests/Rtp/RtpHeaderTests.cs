using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Tests.Rtp;

public sealed class RtpHeaderTests
{
    [Fact]
    public void TryParse_FullHeader_ReadsEveryField()
    {
        var ext = new byte[8];
        var writer = new RtpExtensionWriter(ext, twoByte: false);
        writer.Add(4, "0"u8);
        var extLength = writer.Finish();
        var buffer = new byte[100];
        var length = RtpHeaderWriter.Write(buffer, 111, true, 0xBEEF, 0x01020304, 0xAABBCCDD, [7u, 8u], writer.Profile, ext.AsSpan(0, extLength));
        buffer.AsSpan(length, 10).Fill(0x42);
        length += 10;
        buffer[length] = 0;
        buffer[length + 1] = 0;
        buffer[length + 2] = 3; // three bytes of padding
        length += 3;
        buffer[0] |= 0x20;

        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(buffer.AsSpan(0, length), out var h));

        Assert.Equal(2, h.Version);
        Assert.True(h.Marker);
        Assert.Equal(111, h.PayloadType);
        Assert.Equal(0xBEEF, h.SequenceNumber);
        Assert.Equal(0x01020304u, h.Timestamp);
        Assert.Equal(0xAABBCCDDu, h.Ssrc);
        Assert.Equal(2, h.CsrcCount);
        Assert.Equal(8u, h.GetCsrc(buffer, 1));
        Assert.True(h.HasExtension);
        Assert.Equal(0xBEDE, h.ExtensionProfile);
        Assert.Equal(10, h.PayloadLength);
        Assert.Equal(3, h.PaddingLength);
        Assert.True(h.Payload(buffer.AsSpan(0, length)).SequenceEqual(Enumerable.Repeat((byte)0x42, 10).ToArray()));
    }

    [Fact]
    public void TryParse_ExtensionLongerThanPacket_ReportsOverrun()
    {
        byte[] packet = [0x90, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0x00, 0x05, 0x10, 0xFF];

        Assert.Equal(RtpParseError.ExtensionOverrun, RtpHeader.TryParse(packet, out _));
    }

    [Fact]
    public void TryParse_PaddingCountTooLarge_ReportsBadPadding()
    {
        byte[] packet = [0xA0, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 9];

        Assert.Equal(RtpParseError.BadPadding, RtpHeader.TryParse(packet, out _));
    }

    [Fact]
    public void Setters_RewriteFieldsInPlace()
    {
        var buffer = new byte[12];
        RtpHeaderWriter.WriteFixed(buffer, 96, false, 1, 2, 3);

        RtpHeaderWriter.SetSequenceNumber(buffer, 500);
        RtpHeaderWriter.SetTimestamp(buffer, 9000);
        RtpHeaderWriter.SetSsrc(buffer, 77);
        RtpHeaderWriter.SetPayloadType(buffer, 100);
        RtpHeaderWriter.SetMarker(buffer, true);

        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(buffer, out var h));
        Assert.Equal((500, 9000u, 77u, (byte)100, true), (h.SequenceNumber, h.Timestamp, h.Ssrc, h.PayloadType, h.Marker));
    }

    [Fact]
    public void Unwrap_AcrossWrapAndReorder_IsMonotonic()
    {
        var u = new SequenceNumberUnwrapper();

        Assert.Equal(65534, u.Unwrap(65534));
        Assert.Equal(65536, u.Unwrap(0));
        Assert.Equal(65535, u.Unwrap(65535));
        Assert.Equal(65537, u.Unwrap(1));
        Assert.True(SequenceNumberUnwrapper.IsNewer(1, 65535));
        Assert.False(SequenceNumberUnwrapper.IsNewer(65535, 1));
    }
}
