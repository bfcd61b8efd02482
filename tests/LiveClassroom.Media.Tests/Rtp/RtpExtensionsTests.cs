using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Tests.Rtp;

public sealed class RtpExtensionsTests
{
    // Chrome's ids: audio-level 1, abs-send-time 2, transport-cc 3, mid 4, rid 10, repaired-rid 11.
    private static byte[] Packet(bool twoByte, out RtpHeader header)
    {
        var ext = new byte[64];
        var w = new RtpExtensionWriter(ext, twoByte);
        w.Add(1, [0x80 | 42]);
        w.Add(2, [0x12, 0x34, 0x56]);
        w.Add(3, [0x01, 0x02]);
        w.Add(4, "1"u8);
        w.Add(10, "h"u8);
        w.Add(11, "q"u8);
        var extLength = w.Finish();
        Assert.False(w.Failed);
        var buffer = new byte[200];
        var length = RtpHeaderWriter.Write(buffer, 96, false, 1, 2, 3, [], w.Profile, ext.AsSpan(0, extLength));
        buffer.AsSpan(length, 20).Fill(9);
        var packet = buffer.AsSpan(0, length + 20).ToArray();
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(packet, out header));
        return packet;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Accessors_ReadChromeExtensions(bool twoByte)
    {
        var p = Packet(twoByte, out var h);

        Assert.True(RtpExtensions.TryGetAudioLevel(p, h, 1, out var voice, out var level));
        Assert.True(voice);
        Assert.Equal(42, level);
        Assert.True(RtpExtensions.TryGetAbsSendTime(p, h, 2, out var ast));
        Assert.Equal(0x123456u, ast);
        Assert.True(RtpExtensions.TryGetTransportSequenceNumber(p, h, 3, out var tcc));
        Assert.Equal(0x0102, tcc);
        Assert.True(RtpExtensions.TryGetMid(p, h, 4, out var mid));
        Assert.Equal("1"u8.ToArray(), mid.ToArray());
        Assert.True(RtpExtensions.TryGetRid(p, h, 10, out var rid));
        Assert.Equal("h"u8.ToArray(), rid.ToArray());
        Assert.True(RtpExtensions.TryGetRepairedRid(p, h, 11, out var rrid));
        Assert.Equal("q"u8.ToArray(), rrid.ToArray());
        Assert.False(RtpExtensions.TryGetMid(p, h, 5, out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Setters_RewriteValuesAndIdsInPlace(bool twoByte)
    {
        var p = Packet(twoByte, out var h);

        Assert.True(RtpExtensions.TrySetTransportSequenceNumber(p, h, 3, 0xABCD));
        Assert.True(RtpExtensions.TrySetAbsSendTime(p, h, 2, 0x654321));
        Assert.True(RtpExtensions.TryRewriteId(p, h, 4, 9));
        Assert.True(RtpExtensions.TryRemove(p, h, 10));

        Assert.True(RtpExtensions.TryGetTransportSequenceNumber(p, h, 3, out var tcc));
        Assert.Equal(0xABCD, tcc);
        Assert.True(RtpExtensions.TryGetAbsSendTime(p, h, 2, out var ast));
        Assert.Equal(0x654321u, ast);
        Assert.False(RtpExtensions.TryGetMid(p, h, 4, out _));
        Assert.True(RtpExtensions.TryGetMid(p, h, 9, out var mid));
        Assert.Equal("1"u8.ToArray(), mid.ToArray());
        Assert.False(RtpExtensions.TryGetRid(p, h, 10, out _));
        Assert.True(RtpExtensions.TryGetRepairedRid(p, h, 11, out _));
    }

    [Fact]
    public void TryRewriteId_OneByteIdOutOfRange_IsRefused()
    {
        var p = Packet(false, out var h);

        Assert.False(RtpExtensions.TryRewriteId(p, h, 4, 15));
    }

    [Fact]
    public void Enumerator_ElementOverrunningBlock_StopsAsMalformed()
    {
        // One-byte block of 4 bytes: id 1 claims 8 bytes.
        byte[] p = [0x90, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0x00, 0x01, 0x17, 1, 2, 3];
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(p, out var h));

        var e = new RtpExtensionEnumerator(p, h);

        Assert.False(e.MoveNext());
        Assert.True(e.IsMalformed);
    }

    [Fact]
    public void ToAbsSendTime_OneSecond_Is2Pow18()
    {
        Assert.Equal(1u << 18, RtpExtensions.ToAbsSendTime(1_000_000));
    }
}
