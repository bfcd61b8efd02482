using System.Buffers.Binary;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// The picture size a keyframe's first RTP packet declares: the H.264 SPS (ITU-T H.264 §7.3.2.1.1, carried as a
/// single NAL unit or in a STAP-A, RFC 6184 §5.6–5.7) or the VP8 key frame header (RFC 6386 §9.1). Used to tell
/// simulcast layers apart by what they show; never throws on malformed input.
/// </summary>
public static class PictureSize
{
    /// <summary>Width × height in pixels (H.264: whole macroblocks, cropping ignored), or 0 when the packet declares none.</summary>
    public static int Pixels(bool h264, ReadOnlySpan<byte> packet)
    {
        if (!RtpInspector.TryGetPayload(packet, out var offset, out var length) || length < 2)
        {
            return 0;
        }
        var payload = packet.Slice(offset, length);
        return h264 ? H264Pixels(payload) : Vp8Pixels(payload);
    }

    private static int H264Pixels(ReadOnlySpan<byte> p)
    {
        var type = p[0] & 0x1F;
        if (type == 7)
        {
            return SpsPixels(p);
        }
        if (type != 24)
        {
            return 0;
        }
        for (var pos = 1; pos + 2 < p.Length;)
        {
            var size = BinaryPrimitives.ReadUInt16BigEndian(p[pos..]);
            if (size == 0 || pos + 2 + size > p.Length)
            {
                return 0;
            }
            var nal = p.Slice(pos + 2, size);
            if ((nal[0] & 0x1F) == 7)
            {
                return SpsPixels(nal);
            }
            pos += 2 + size;
        }
        return 0;
    }

    // §7.3.2.1.1 up to pic_height_in_map_units_minus1 / frame_mbs_only_flag.
    private static int SpsPixels(ReadOnlySpan<byte> nal)
    {
        var r = new BitReader(nal[1..]);
        var profile = r.Bits(8);
        r.Bits(16); // constraint flags, level_idc
        r.Ue(); // seq_parameter_set_id
        if (profile is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
        {
            if (r.Ue() == 3)
            {
                r.Bits(1);
            }
            r.Ue();
            r.Ue();
            r.Bits(1);
            if (r.Bits(1) == 1)
            {
                return 0; // scaling matrices: not sent by the encoders we record; not worth parsing
            }
        }
        r.Ue(); // log2_max_frame_num_minus4
        var pocType = r.Ue();
        if (pocType == 0)
        {
            r.Ue();
        }
        else if (pocType == 1)
        {
            r.Bits(1);
            r.Se();
            r.Se();
            var cycle = r.Ue();
            for (var i = 0; i < cycle && !r.Overrun; i++)
            {
                r.Se();
            }
        }
        r.Ue(); // max_num_ref_frames
        r.Bits(1);
        var widthMbs = r.Ue() + 1;
        var heightUnits = r.Ue() + 1;
        var frameMbsOnly = r.Bits(1);
        if (r.Overrun || widthMbs > 1024 || heightUnits > 1024)
        {
            return 0;
        }
        return widthMbs * 16 * heightUnits * 16 * (frameMbsOnly == 1 ? 1 : 2);
    }

    // RFC 7741 §4.2 descriptor, then RFC 6386 §9.1: 3-byte frame tag (P = 0 on key frames), start code 9d 01 2a, 14-bit sizes.
    private static int Vp8Pixels(ReadOnlySpan<byte> p)
    {
        var pos = 1;
        if ((p[0] & 0x80) != 0)
        {
            var ext = p[pos++];
            if ((ext & 0x80) != 0 && pos < p.Length)
            {
                pos += (p[pos] & 0x80) != 0 ? 2 : 1;
            }
            pos += ((ext & 0x40) != 0 ? 1 : 0) + ((ext & 0x30) != 0 ? 1 : 0);
        }
        if ((p[0] & 0x10) == 0 || (p[0] & 0x0F) != 0 || p.Length < pos + 10)
        {
            return 0;
        }
        var frame = p[pos..];
        if ((frame[0] & 0x01) != 0 || frame[3] != 0x9D || frame[4] != 0x01 || frame[5] != 0x2A)
        {
            return 0;
        }
        var width = BinaryPrimitives.ReadUInt16LittleEndian(frame[6..]) & 0x3FFF;
        var height = BinaryPrimitives.ReadUInt16LittleEndian(frame[8..]) & 0x3FFF;
        return width * height;
    }

    /// <summary>Exp-Golomb reader over an RBSP that skips emulation-prevention bytes (00 00 03, §7.4.1).</summary>
    private ref struct BitReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _byte;
        private int _bit;
        private int _zeros;

        public bool Overrun { get; private set; }

        public int Bits(int n)
        {
            var v = 0;
            for (var i = 0; i < n; i++)
            {
                v = (v << 1) | Bit();
            }
            return v;
        }

        public int Ue()
        {
            var leading = 0;
            while (Bit() == 0 && !Overrun && leading < 31)
            {
                leading++;
            }
            return leading >= 31 || Overrun ? 0 : (1 << leading) - 1 + Bits(leading);
        }

        public int Se()
        {
            var k = Ue();
            return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
        }

        private int Bit()
        {
            if (_bit == 0)
            {
                if (_zeros >= 2 && _byte < _data.Length && _data[_byte] == 3)
                {
                    _byte++;
                    _zeros = 0;
                }
                if (_byte >= _data.Length)
                {
                    Overrun = true;
                    return 0;
                }
                _zeros = _data[_byte] == 0 ? _zeros + 1 : 0;
            }
            var b = (_data[_byte] >> (7 - _bit)) & 1;
            if (++_bit == 8)
            {
                _bit = 0;
                _byte++;
            }
            return b;
        }
    }
}
