using LiveClassroom.Media.Rtp.Codecs;

namespace LiveClassroom.Media.Tests.Rtp.Codecs;

/// <summary>RFC 2198 §3 block headers.</summary>
public sealed class RedPayloadTests
{
    [Fact]
    public void TryGetPrimary_OneRedundantBlock_PrimaryIsTheLastBlock()
    {
        // F=1 PT 111, offset 960, length 3 | F=0 PT 111 | 3 redundant bytes | 2 primary bytes.
        byte[] payload = [0x80 | 111, (byte)(960 >> 6), (byte)(((960 & 0x3F) << 2) | 0), 3, 111, 0xA1, 0xA2, 0xA3, 0xB1, 0xB2];

        Assert.True(RedPayload.TryGetPrimary(payload, out var pt, out var offset, out var length));

        Assert.Equal(111, pt);
        Assert.Equal(8, offset);
        Assert.Equal(2, length);
    }

    [Fact]
    public void TryGetPrimary_PrimaryOnly_DataFollowsTheOneByteHeader()
    {
        byte[] payload = [111, 1, 2, 3];
        Assert.True(RedPayload.TryGetPrimary(payload, out _, out var offset, out var length));
        Assert.Equal((1, 3), (offset, length));
    }

    [Fact]
    public void TryRewriteBlockPayloadTypes_EveryBlockOfThatType_FlagsLengthsAndDataKept()
    {
        // Two redundant blocks (111 and 13, comfort noise) and the primary 111.
        byte[] payload = [0x80 | 111, 0x0F, 0x00, 2, 0x80 | 13, 0x07, 0x80, 1, 111, 0xA1, 0xA2, 0xC1, 0xB1];

        Assert.True(RedPayload.TryRewriteBlockPayloadTypes(payload, 111, 109));

        Assert.Equal([0x80 | 109, 0x0F, 0x00, 2, 0x80 | 13, 0x07, 0x80, 1, 109, 0xA1, 0xA2, 0xC1, 0xB1], payload);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x80 | 111, 0, 0 })]
    [InlineData(new byte[] { 0x80 | 111, 0, 0, 200, 111, 1 })]
    public void TryRewriteBlockPayloadTypes_Truncated_False(byte[] payload) => Assert.False(RedPayload.TryRewriteBlockPayloadTypes(payload, 111, 109));

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x80 | 111, 0, 0 })]
    [InlineData(new byte[] { 0x80 | 111, 0, 0, 200, 111, 1 })]
    public void TryGetPrimary_Truncated_False(byte[] payload) => Assert.False(RedPayload.TryGetPrimary(payload, out _, out _, out _));
}
