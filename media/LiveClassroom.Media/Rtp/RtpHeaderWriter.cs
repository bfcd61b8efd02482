using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtp;

// RFC 3550 §5.1: writes and rewrites fixed-header fields in place (the SFU rewrites SSRC, sequence number,
// timestamp, payload type and marker when forwarding).
internal static class RtpHeaderWriter
{
    /// <summary>Writes a 12-byte fixed header with no CSRCs, padding or extension; returns 12, or -1 if it does not fit.</summary>
    public static int WriteFixed(Span<byte> destination, byte payloadType, bool marker, ushort sequenceNumber, uint timestamp, uint ssrc)
    {
        if (destination.Length < RtpHeader.FixedLength)
        {
            return -1;
        }
        destination[0] = 0x80;
        destination[1] = (byte)((payloadType & 0x7F) | (marker ? 0x80 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ssrc);
        return RtpHeader.FixedLength;
    }

    /// <summary>Writes a full header: fixed part, CSRCs, and (if <paramref name="extension"/> is non-empty) the extension block.</summary>
    public static int Write(Span<byte> destination, byte payloadType, bool marker, ushort sequenceNumber, uint timestamp, uint ssrc, ReadOnlySpan<uint> csrcs, ushort extensionProfile, ReadOnlySpan<byte> extension)
    {
        if (csrcs.Length > 15 || (extension.Length & 3) != 0 || extension.Length > 4 * ushort.MaxValue)
        {
            return -1;
        }
        var length = RtpHeader.FixedLength + (4 * csrcs.Length) + (extension.IsEmpty ? 0 : 4 + extension.Length);
        if (destination.Length < length)
        {
            return -1;
        }
        WriteFixed(destination, payloadType, marker, sequenceNumber, timestamp, ssrc);
        destination[0] = (byte)(0x80 | csrcs.Length | (extension.IsEmpty ? 0 : 0x10));
        var at = RtpHeader.FixedLength;
        foreach (var csrc in csrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[at..], csrc);
            at += 4;
        }
        if (!extension.IsEmpty)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[at..], extensionProfile);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(at + 2)..], (ushort)(extension.Length / 4));
            extension.CopyTo(destination[(at + 4)..]);
        }
        return length;
    }

    public static void SetSequenceNumber(Span<byte> packet, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(packet[2..], value);

    public static void SetTimestamp(Span<byte> packet, uint value) => BinaryPrimitives.WriteUInt32BigEndian(packet[4..], value);

    public static void SetSsrc(Span<byte> packet, uint value) => BinaryPrimitives.WriteUInt32BigEndian(packet[8..], value);

    public static void SetPayloadType(Span<byte> packet, byte payloadType) => packet[1] = (byte)((packet[1] & 0x80) | (payloadType & 0x7F));

    public static void SetMarker(Span<byte> packet, bool marker) => packet[1] = (byte)((packet[1] & 0x7F) | (marker ? 0x80 : 0));
}
