using System.Buffers.Binary;
using LiveClassroom.Server.Recording;

namespace LiveClassroom.Server.Tests.Recording;

/// <summary>The recorder keeps one simulcast layer of a video track: the largest picture, switched only at a keyframe.</summary>
public sealed class LayerPickerTests
{
    private const uint Q = 0x1111, H = 0x2222, F = 0x3333;

    private const long Chosen = LayerPicker.ChooseMs;

    [Fact]
    public void Accept_SingleStream_PassesFromTheChoosingTimeOn()
    {
        var asked = 0;
        var picker = new LayerPicker(RtpCodecInfo.Vp8(), () => asked++);
        Assert.False(picker.Accept(Vp8Key(F, 640, 360), 0));
        Assert.False(picker.Accept(Vp8Delta(F), Chosen - 1));
        Assert.True(picker.Accept(Vp8Delta(F), Chosen));
        Assert.Equal(1, asked);
        Assert.True(picker.Accept(Vp8Delta(F), Chosen + 10));
        Assert.Equal(F, picker.Current);
    }

    [Fact]
    public void Accept_NoKeyframeWhileChoosing_LocksTheNextKeyframesLayer()
    {
        var picker = new LayerPicker(RtpCodecInfo.Vp8());
        Assert.False(picker.Accept(Vp8Delta(H), 0));
        Assert.False(picker.Accept(Vp8Delta(H), Chosen));
        Assert.True(picker.Accept(Vp8Key(H, 640, 360), Chosen + 10));
        Assert.Equal(H, picker.Current);
    }

    [Fact]
    public void Accept_ThreeLayersStart_LocksTheLargestAndAsksItsKeyframe()
    {
        var asked = 0;
        var picker = new LayerPicker(RtpCodecInfo.Vp8(), () => asked++);
        Assert.False(picker.Accept(Vp8Key(Q, 320, 180), 0));
        Assert.False(picker.Accept(Vp8Key(H, 640, 360), 5));
        Assert.False(picker.Accept(Vp8Key(F, 1280, 720), 10));
        Assert.False(picker.Accept(Vp8Delta(Q), Chosen));
        Assert.Equal(F, picker.Current);
        Assert.Equal(1, asked);
        Assert.True(picker.Accept(Vp8Key(F, 1280, 720), Chosen + 20));
        Assert.False(picker.Accept(Vp8Key(H, 640, 360), Chosen + 30));
        Assert.True(picker.Accept(Vp8Delta(F), Chosen + 40));
    }

    [Fact]
    public void Accept_LargerLayerKeyframeAfterTheLock_MovesUp()
    {
        var picker = new LayerPicker(RtpCodecInfo.Vp8());
        Assert.False(picker.Accept(Vp8Key(H, 640, 360), 0));
        Assert.True(picker.Accept(Vp8Key(H, 640, 360), Chosen));
        Assert.False(picker.Accept(Vp8Delta(F), Chosen + 10));
        Assert.True(picker.Accept(Vp8Key(F, 1280, 720), Chosen + 20));
        Assert.False(picker.Accept(Vp8Delta(H), Chosen + 30));
        Assert.Equal(F, picker.Current);
    }

    [Fact]
    public void Accept_LockedLayerSilent_ChoosesAgainAmongTheOthers()
    {
        var picker = new LayerPicker(RtpCodecInfo.Vp8());
        Assert.False(picker.Accept(Vp8Key(H, 640, 360), 0));
        Assert.False(picker.Accept(Vp8Key(F, 1280, 720), 0));
        Assert.True(picker.Accept(Vp8Key(F, 1280, 720), Chosen));
        // The top layer pauses (the publisher's uplink); the middle one keeps going.
        var t = Chosen + LayerPicker.StaleAfterMs + 1;
        Assert.False(picker.Accept(Vp8Delta(H), t));
        Assert.False(picker.Accept(Vp8Delta(H), t + Chosen - 1));
        Assert.True(picker.Accept(Vp8Key(H, 640, 360), t + Chosen));
        Assert.Equal(H, picker.Current);
        // It comes back with a keyframe: the recording moves up again.
        Assert.True(picker.Accept(Vp8Key(F, 1280, 720), t + Chosen + 10));
        Assert.Equal(F, picker.Current);
    }

    [Fact]
    public void Accept_H264Layers_TellsThemApartBySps()
    {
        var picker = new LayerPicker(RtpCodecInfo.H264());
        Assert.False(picker.Accept(H264Key(F, 1280, 720), 0));
        Assert.False(picker.Accept(H264Key(H, 640, 368), 10));
        Assert.True(picker.Accept(H264Key(F, 1280, 720), Chosen));
        Assert.False(picker.Accept(H264Key(H, 640, 368), Chosen + 10));
        Assert.Equal(F, picker.Current);
    }

    [Theory]
    [InlineData(1280, 720)]
    [InlineData(320, 176)]
    public void Pixels_StapAWithSps_ReadsMacroblockSize(int width, int height) =>
        Assert.Equal(width * height, PictureSize.Pixels(h264: true, H264Key(F, width, height)));

    [Fact]
    public void Pixels_TruncatedSps_IsZero()
    {
        var packet = H264Key(F, 1280, 720);
        Assert.Equal(0, PictureSize.Pixels(h264: true, packet.AsSpan(0, 20)));
    }

    private static byte[] Rtp(uint ssrc, byte[] payload)
    {
        var p = new byte[12 + payload.Length];
        p[0] = 0x80;
        p[1] = 96;
        BinaryPrimitives.WriteUInt32BigEndian(p.AsSpan(8), ssrc);
        payload.CopyTo(p, 12);
        return p;
    }

    // RFC 7741 descriptor (S=1, partition 0), then an RFC 6386 §9.1 key frame header.
    private static byte[] Vp8Key(uint ssrc, int width, int height)
    {
        var payload = new byte[] { 0x10, 0x00, 0x00, 0x00, 0x9D, 0x01, 0x2A, 0, 0, 0, 0, 0 };
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(7), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(9), (ushort)height);
        return Rtp(ssrc, payload);
    }

    private static byte[] Vp8Delta(uint ssrc) => Rtp(ssrc, [0x10, 0x01, 0x00, 0x00, 0x00]);

    // STAP-A (RFC 6184 §5.7.1) with a baseline SPS (H.264 §7.3.2.1.1) and a stand-in PPS.
    private static byte[] H264Key(uint ssrc, int width, int height)
    {
        var bits = new BitWriter();
        bits.Bits(66, 8).Bits(0xC0, 8).Bits(31, 8);
        bits.Ue(0).Ue(0).Ue(0).Ue(0).Ue(1).Bits(0, 1);
        bits.Ue(width / 16 - 1).Ue(height / 16 - 1).Bits(1, 1).Bits(1, 1).Bits(0, 1).Bits(0, 1).Bits(1, 1);
        var sps = (byte[])[0x67, .. bits.ToArray()];
        byte[] pps = [0x68, 0xCE, 0x3C, 0x80];
        var payload = new List<byte> { 24 };
        foreach (var nal in new[] { sps, pps })
        {
            payload.Add((byte)(nal.Length >> 8));
            payload.Add((byte)nal.Length);
            payload.AddRange(nal);
        }
        return Rtp(ssrc, [.. payload]);
    }

    private sealed class BitWriter
    {
        private readonly List<bool> _bits = [];

        public BitWriter Bits(int value, int count)
        {
            for (var i = count - 1; i >= 0; i--)
            {
                _bits.Add(((value >> i) & 1) == 1);
            }
            return this;
        }

        public BitWriter Ue(int value)
        {
            var v = value + 1;
            var length = 32 - int.LeadingZeroCount(v);
            return Bits(0, length - 1).Bits(v, length);
        }

        public byte[] ToArray()
        {
            var bytes = new byte[(_bits.Count + 7) / 8];
            for (var i = 0; i < _bits.Count; i++)
            {
                if (_bits[i])
                {
                    bytes[i / 8] |= (byte)(0x80 >> (i % 8));
                }
            }
            return bytes;
        }
    }
}
