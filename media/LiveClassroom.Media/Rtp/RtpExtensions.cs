using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtp;

// RFC 8285 (generic header extensions); values: RFC 8843 §15 (mid), RFC 8852 §3 (rid, repaired-rid),
// abs-send-time (webrtc.org, 6.18 fixed-point seconds, 24 bits), draft-holmer-rmcat-transport-wide-cc-extensions-01 §2
// (16-bit transport-wide sequence number), RFC 6464 §3 (audio level: V bit + 7-bit -dBov).
/// <summary>Find, read and rewrite header extension elements in place. Ids come from the SDP (a=extmap).</summary>
internal static class RtpExtensions
{
    public static bool TryFind(ReadOnlySpan<byte> packet, in RtpHeader header, int id, out RtpExtensionElement element)
    {
        var e = new RtpExtensionEnumerator(packet, header);
        while (e.MoveNext())
        {
            if (e.Current.Id == id)
            {
                element = e.Current;
                return true;
            }
        }
        element = default;
        return false;
    }

    public static bool TryGetValue(ReadOnlySpan<byte> packet, in RtpHeader header, int id, out ReadOnlySpan<byte> value)
    {
        if (id > 0 && TryFind(packet, header, id, out var element))
        {
            value = packet.Slice(element.Offset, element.Length);
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>MID (ASCII, RFC 8843 §15). Trailing NULs are trimmed: one-byte elements cannot be empty, so some senders pad.</summary>
    public static bool TryGetMid(ReadOnlySpan<byte> packet, in RtpHeader header, int id, out ReadOnlySpan<byte> mid) =>
        TryGetString(packet, header, id, out mid);

    /// <summary>RtpStreamId (RFC 8852 §3.1): the simulcast layer name, e.g. "q", "h", "f".</summary>
    public static bool TryGetRid(ReadOnlySpan<byte> packet, in RtpHeader header, int id, out ReadOnlySpan<byte> rid) =>
        TryGetString(packet, header, id, out rid);

    /// <summary>RepairedRtpStreamId (RFC 8852 §3.2): on RTX packets, the rid of the stream they repair.</summary>
    public static bool TryGetRepairedRid(ReadOnlySpan<byte> packet, in RtpHeader header, int id, out ReadOnlySpan<byte> rid) =>
        TryGetString(packet, header, id, out rid);

    /// <summary>abs-send-time: 24 bits, 6.18 fixed-point seconds.</summary>
    public static bool TryGetAbsSendTime(ReadOnlySpan<byte> packet, in RtpHeader header, int id, out uint value)
    {
        if (TryGetValue(packet, header, id, out var v) && v.Length == 3)
        {
            value = (uint)((v[0] << 16) | (v[1] << 8) | v[2]);
            return true;
        }
        value = 0;
        return false;
    }

    public static bool TrySetAbsSendTime(Span<byte> packet, in RtpHeader header, int id, uint value)
    {
        if (id <= 0 || !TryFind(packet, header, id, out var e) || e.Length != 3)
        {
            return false;
        }
        packet[e.Offset] = (byte)(value >> 16);
        packet[e.Offset + 1] = (byte)(value >> 8);
        packet[e.Offset + 2] = (byte)value;
        return true;
    }

    /// <summary>Converts a time in microseconds to abs-send-time's 6.18 fixed point (wraps every 64 s).</summary>
    public static uint ToAbsSendTime(long microseconds) => (uint)(((microseconds << 18) / 1_000_000) & 0xFFFFFF);

    public static bool TryGetTransportSequenceNumber(ReadOnlySpan<byte> packet, in RtpHeader header, int id, out ushort value)
    {
        if (TryGetValue(packet, header, id, out var v) && v.Length == 2)
        {
            value = BinaryPrimitives.ReadUInt16BigEndian(v);
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>The SFU numbers every packet it sends per transport, so it rewrites this in place when forwarding.</summary>
    public static bool TrySetTransportSequenceNumber(Span<byte> packet, in RtpHeader header, int id, ushort value)
    {
        if (id <= 0 || !TryFind(packet, header, id, out var e) || e.Length != 2)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(packet[e.Offset..], value);
        return true;
    }

    /// <summary>RFC 6464: <paramref name="level"/> is 0..127 in -dBov (0 = loudest); <paramref name="voice"/> is the V flag.</summary>
    public static bool TryGetAudioLevel(ReadOnlySpan<byte> packet, in RtpHeader header, int id, out bool voice, out byte level)
    {
        if (TryGetValue(packet, header, id, out var v) && v.Length >= 1)
        {
            voice = (v[0] & 0x80) != 0;
            level = (byte)(v[0] & 0x7F);
            return true;
        }
        voice = false;
        level = 127;
        return false;
    }

    /// <summary>
    /// Renumbers an element in place (the SFU maps the publisher's extmap ids to each subscriber's).
    /// One-byte ids must stay within 1–14; returns false if the element is absent or the id does not fit.
    /// </summary>
    public static bool TryRewriteId(Span<byte> packet, in RtpHeader header, int oldId, int newId)
    {
        if (!TryFind(packet, header, oldId, out var e))
        {
            return false;
        }
        if (header.ExtensionProfile == RtpExtensionEnumerator.OneByteProfile)
        {
            if (newId is < 1 or > 14)
            {
                return false;
            }
            var at = e.Offset - 1;
            packet[at] = (byte)((newId << 4) | (packet[at] & 0x0F));
            return true;
        }
        if (newId is < 1 or > 255)
        {
            return false;
        }
        packet[e.Offset - 2] = (byte)newId;
        return true;
    }

    /// <summary>Turns an element into padding in place (drop an extension the receiver did not negotiate).</summary>
    public static bool TryRemove(Span<byte> packet, in RtpHeader header, int id)
    {
        if (!TryFind(packet, header, id, out var e))
        {
            return false;
        }
        var headerBytes = header.ExtensionProfile == RtpExtensionEnumerator.OneByteProfile ? 1 : 2;
        packet.Slice(e.Offset - headerBytes, e.Length + headerBytes).Clear();
        return true;
    }

    private static bool TryGetString(ReadOnlySpan<byte> packet, in RtpHeader header, int id, out ReadOnlySpan<byte> value)
    {
        if (!TryGetValue(packet, header, id, out value))
        {
            return false;
        }
        var end = value.IndexOf((byte)0);
        if (end >= 0)
        {
            value = value[..end];
        }
        return value.Length > 0;
    }
}
