// RFC 7741 §4.2–4.3 (VP8 payload descriptor and header: P bit 0 = key frame) and RFC 6184 §5.6–5.8 (H.264 NAL unit,
// STAP-A, FU-A). A "keyframe start" is the first packet of a frame a decoder can start from.
// TODO(media-core): use Rtp/Codecs (Vp8Payload, H264Payload) once merged.
using System.Buffers.Binary;

namespace LiveClassroom.Media.Sfu;

internal static class KeyframeDetector
{
    public static bool IsKeyframeStart(string codec, ReadOnlySpan<byte> payload) => codec switch
    {
        "VP8" => IsVp8KeyframeStart(payload),
        "H264" => IsH264KeyframeStart(payload),
        _ => true,
    };

    private static bool IsVp8KeyframeStart(ReadOnlySpan<byte> p)
    {
        if (p.Length < 1)
        {
            return false;
        }
        var start = (p[0] & 0x10) != 0 && (p[0] & 0x07) == 0;
        if (!start)
        {
            return false;
        }
        var offset = 1;
        if ((p[0] & 0x80) != 0)
        {
            if (p.Length < 2)
            {
                return false;
            }
            var x = p[1];
            offset = 2;
            if ((x & 0x80) != 0)
            {
                if (p.Length <= offset)
                {
                    return false;
                }
                offset += (p[offset] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0)
            {
                offset++;
            }
            if ((x & 0x30) != 0)
            {
                offset++;
            }
        }
        return p.Length > offset && (p[offset] & 0x01) == 0;
    }

    // Chrome sends SPS and PPS ahead of every IDR; starting on the SPS gives the decoder everything it needs.
    private static bool IsH264KeyframeStart(ReadOnlySpan<byte> p)
    {
        if (p.Length < 1)
        {
            return false;
        }
        var type = p[0] & 0x1F;
        if (type == 7)
        {
            return true;
        }
        if (type != 24)
        {
            return false;
        }
        var offset = 1;
        while (offset + 2 < p.Length)
        {
            var size = BinaryPrimitives.ReadUInt16BigEndian(p[offset..]);
            offset += 2;
            if (size == 0 || offset + size > p.Length)
            {
                return false;
            }
            if ((p[offset] & 0x1F) == 7)
            {
                return true;
            }
            offset += size;
        }
        return false;
    }
}
