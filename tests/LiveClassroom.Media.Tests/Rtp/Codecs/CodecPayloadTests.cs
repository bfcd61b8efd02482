using LiveClassroom.Media.Rtp.Codecs;

namespace LiveClassroom.Media.Tests.Rtp.Codecs;

public sealed class CodecPayloadTests
{
    [Fact]
    public void Vp8TryParse_KeyframeStartWithLongPictureId_ReadsDescriptor()
    {
        // X=1 S=1 PID=0 | I=1 L=1 T=1 | M=1 picture id 0x1234 | TL0PICIDX 7 | TID 2, Y=1 | payload header P=0
        byte[] payload = [0x90, 0xE0, 0x80 | 0x12, 0x34, 7, 0x80 | 0x20, 0x10, 0x02, 0x9d];

        Assert.True(Vp8Payload.TryParse(payload, out var d));

        Assert.True(d.IsStartOfFrame);
        Assert.True(d.IsKeyframe);
        Assert.Equal(0x1234, d.PictureId);
        Assert.True(d.HasLongPictureId);
        Assert.Equal(7, d.Tl0PicIdx);
        Assert.Equal(2, d.TemporalLayer);
        Assert.True(d.LayerSync);
        Assert.Equal(6, d.Length);
    }

    [Fact]
    public void Vp8TryParse_InterFrame_IsNotKeyframe()
    {
        byte[] payload = [0x90, 0x80, 0x05, 0x01];

        Assert.True(Vp8Payload.TryParse(payload, out var d));

        Assert.False(d.IsKeyframe);
        Assert.Equal(5, d.PictureId);
        Assert.False(d.HasLongPictureId);
    }

    [Fact]
    public void Vp8TrySetPictureId_RewritesInPlace()
    {
        byte[] payload = [0x90, 0xC0, 0x80 | 0x12, 0x34, 7, 0x00];
        Assert.True(Vp8Payload.TryParse(payload, out var d));

        Assert.True(Vp8Payload.TrySetPictureId(payload, d, 0x7FFF));
        Assert.True(Vp8Payload.TrySetTl0PicIdx(payload, d, 200));

        Assert.True(Vp8Payload.TryParse(payload, out var after));
        Assert.Equal(0x7FFF, after.PictureId);
        Assert.Equal(200, after.Tl0PicIdx);
    }

    [Fact]
    public void Vp8TryParse_TruncatedExtension_Fails()
    {
        Assert.False(Vp8Payload.TryParse([0x90, 0x80], out _));
        Assert.False(Vp8Payload.TryParse([], out _));
    }

    [Fact]
    public void H264TryParse_StapAWithSpsPpsIdr_IsKeyframe()
    {
        byte[] payload = [0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xCE, 0x00, 0x03, 0x65, 0x88, 0x84];

        Assert.True(H264Payload.TryParse(payload, out var info));

        Assert.True(info.IsKeyframe);
        Assert.True(info.ContainsSps && info.ContainsPps && info.ContainsIdr);
    }

    [Fact]
    public void H264TryParse_FuAStartOfIdr_IsKeyframeButMiddleFragmentIsNot()
    {
        Assert.True(H264Payload.TryParse([0x7C, 0x85, 0x88], out var start));
        Assert.True(H264Payload.TryParse([0x7C, 0x05, 0x88], out var middle));

        Assert.True(start.IsKeyframe);
        Assert.True(start.IsFragmentStart);
        Assert.False(middle.IsKeyframe);
    }

    [Fact]
    public void H264TryParse_SingleNonIdrSlice_IsNotKeyframe()
    {
        Assert.True(H264Payload.TryParse([0x41, 0x9A], out var info));

        Assert.Equal(1, info.PacketType);
        Assert.False(info.IsKeyframe);
    }

    [Fact]
    public void H264TryParse_StapASizeOverrun_Fails()
    {
        Assert.False(H264Payload.TryParse([0x78, 0x00, 0x09, 0x67], out _));
    }
}
