using System.Buffers.Binary;

namespace LiveClassroom.Server.Recording;

/// <summary>Reads what the recorder needs from an RTP packet without allocating.</summary>
public static class RtpInspector
{
    // RFC 3550 §5.1: fixed header, CSRCs, optional extension (§5.3.1), padding.
    public static bool TryGetPayload(ReadOnlySpan<byte> packet, out int offset, out int length)
    {
        offset = 0;
        length = 0;
        if (packet.Length < 12 || (packet[0] >> 6) != 2)
        {
            return false;
        }
        var pos = 12 + ((packet[0] & 0x0F) * 4);
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < pos + 4)
            {
                return false;
            }
            pos += 4 + (BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 2)..]) * 4);
        }
        var end = packet.Length;
        if ((packet[0] & 0x20) != 0 && end > 0)
        {
            end -= packet[end - 1];
        }
        if (pos > end)
        {
            return false;
        }
        offset = pos;
        length = end - pos;
        return true;
    }

    /// <summary>Sets the 7-bit payload type, keeping the marker bit.</summary>
    public static void SetPayloadType(Span<byte> packet, int payloadType) =>
        packet[1] = (byte)((packet[1] & 0x80) | (payloadType & 0x7F));

    /// <summary>True when the packet starts a keyframe a decoder can begin with.</summary>
    public static bool StartsKeyframe(RtpCodecInfo codec, ReadOnlySpan<byte> packet)
    {
        if (!TryGetPayload(packet, out var offset, out var length) || length == 0)
        {
            return false;
        }
        var payload = packet.Slice(offset, length);
        if (codec.IsH264)
        {
            return H264StartsKeyframe(payload);
        }
        if (codec.IsVp8)
        {
            return Vp8StartsKeyframe(payload);
        }
        // Other codecs: any packet will do.
        return true;
    }

    // RFC 6184 §5.4: single NAL (1-23), STAP-A (24), FU-A (28). SPS (7) or an IDR slice (5) begin a keyframe.
    private static bool H264StartsKeyframe(ReadOnlySpan<byte> p)
    {
        var type = p[0] & 0x1F;
        switch (type)
        {
            case 5 or 7:
                return true;
            case 24:
                for (var pos = 1; pos + 2 < p.Length;)
                {
                    var size = BinaryPrimitives.ReadUInt16BigEndian(p[pos..]);
                    if (size == 0 || pos + 2 + size > p.Length)
                    {
                        return false;
                    }
                    var nal = p[pos + 2] & 0x1F;
                    if (nal is 5 or 7)
                    {
                        return true;
                    }
                    pos += 2 + size;
                }
                return false;
            case 28:
                return p.Length > 1 && (p[1] & 0x80) != 0 && (p[1] & 0x1F) is 5 or 7;
            default:
                return false;
        }
    }

    // RFC 7741 §4.2 payload descriptor, then the VP8 frame tag (RFC 6386 §9.1): P bit 0 = key frame.
    private static bool Vp8StartsKeyframe(ReadOnlySpan<byte> p)
    {
        var first = p[0];
        var start = (first & 0x10) != 0;
        var partition = first & 0x0F;
        if (!start || partition != 0)
        {
            return false;
        }
        var pos = 1;
        if ((first & 0x80) != 0)
        {
            if (p.Length <= pos)
            {
                return false;
            }
            var ext = p[pos++];
            if ((ext & 0x80) != 0)
            {
                if (p.Length <= pos)
                {
                    return false;
                }
                pos += (p[pos] & 0x80) != 0 ? 2 : 1;
            }
            if ((ext & 0x40) != 0)
            {
                pos++;
            }
            if ((ext & 0x30) != 0)
            {
                pos++;
            }
        }
        return p.Length > pos && (p[pos] & 0x01) == 0;
    }
}
