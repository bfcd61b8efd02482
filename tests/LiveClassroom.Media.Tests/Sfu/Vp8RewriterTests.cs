using LiveClassroom.Media.Rtp.Codecs;
using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media.Tests.Sfu;

public sealed class Vp8RewriterTests
{
    [Fact]
    public void Rewrite_SwitchToASourceWithLowerPictureIds_PictureIdAndTl0PicIdxContinue()
    {
        var rewriter = new Vp8Rewriter();
        var outPictures = new List<int>();
        var outTl0 = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            Emit(rewriter, 20_000 + i, (byte)(250 + i), outPictures, outTl0);
        }
        rewriter.Rebase();
        for (var i = 0; i < 5; i++)
        {
            Emit(rewriter, 7 + i, (byte)(3 + i), outPictures, outTl0);
        }

        for (var i = 1; i < outPictures.Count; i++)
        {
            Assert.Equal((outPictures[i - 1] + 1) & 0x7FFF, outPictures[i]);
            Assert.Equal((outTl0[i - 1] + 1) & 0xFF, outTl0[i]);
        }
        Assert.Equal(20_000, outPictures[0]);
    }

    [Fact]
    public void Rewrite_SevenBitPictureIdsPastTheirWrap_SwitchContinuesFromTheLastPicture()
    {
        var rewriter = new Vp8Rewriter();
        var outPictures = new List<int>();
        // 200 pictures with 7-bit ids: the id wraps 127 → 0 after 128 of them.
        for (var i = 0; i < 200; i++)
        {
            EmitShort(rewriter, (i + 10) & 0x7F, outPictures);
        }
        rewriter.Rebase();
        EmitShort(rewriter, 50, outPictures);
        // Regression: the newest picture was compared in 15-bit space, so after the 7-bit wrap it stayed at 127.
        Assert.Equal((outPictures[^2] + 1) & 0x7F, outPictures[^1]);
    }

    private static void EmitShort(Vp8Rewriter rewriter, int pictureId, List<int> pictures)
    {
        // X=1 S=1 PID=0; I=1; 7-bit PictureID; then a VP8 payload header byte.
        byte[] payload = [0x90, 0x80, (byte)pictureId, 0x00, 0x9D, 0x01, 0x2A];
        rewriter.Rewrite(payload);
        Assert.True(Vp8Payload.TryParse(payload, out var d));
        Assert.False(d.HasLongPictureId);
        pictures.Add(d.PictureId);
    }

    private static void Emit(Vp8Rewriter rewriter, int pictureId, byte tl0, List<int> pictures, List<int> tl0s)
    {
        // X=1 S=1 PID=0; I=1 L=1; 15-bit PictureID; TL0PICIDX; then a VP8 payload header byte.
        byte[] payload = [0x90, 0xC0, (byte)(0x80 | (pictureId >> 8)), (byte)pictureId, tl0, 0x00, 0x9D, 0x01, 0x2A];
        rewriter.Rewrite(payload);
        Assert.True(Vp8Payload.TryParse(payload, out var d));
        pictures.Add(d.PictureId);
        tl0s.Add(d.Tl0PicIdx);
    }
}
