using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtp;

// RFC 4588 §4: an RTX packet is the original packet with the RTX SSRC, sequence number and payload type, and the
// original sequence number (OSN) as the first two bytes of the payload.
internal static class RtxPacket
{
    /// <summary>
    /// Turns an RTX packet back into the original in place: reads the OSN, removes it and restores payload type,
    /// SSRC and sequence number. False for malformed packets and payload-less RTX (padding probes).
    /// </summary>
    public static bool TryUnwrap(Span<byte> packet, byte originalPayloadType, uint originalSsrc, out int newLength)
    {
        newLength = 0;
        if (RtpHeader.TryParse(packet, out var header) != RtpParseError.None || header.PayloadLength < 2)
        {
            return false;
        }
        var osn = BinaryPrimitives.ReadUInt16BigEndian(packet[header.PayloadOffset..]);
        packet[(header.PayloadOffset + 2)..].CopyTo(packet[header.PayloadOffset..]);
        newLength = packet.Length - 2;
        RtpHeaderWriter.SetSequenceNumber(packet, osn);
        RtpHeaderWriter.SetSsrc(packet, originalSsrc);
        RtpHeaderWriter.SetPayloadType(packet, originalPayloadType);
        return true;
    }

    /// <summary>
    /// Turns the original packet in buffer[..length] into an RTX packet in place (buffer needs two spare bytes):
    /// inserts the OSN and sets the RTX payload type, SSRC and sequence number.
    /// </summary>
    public static bool TryWrap(Span<byte> buffer, int length, byte rtxPayloadType, uint rtxSsrc, ushort rtxSequenceNumber, out int newLength)
    {
        newLength = 0;
        if (length + 2 > buffer.Length || RtpHeader.TryParse(buffer[..length], out var header) != RtpParseError.None)
        {
            return false;
        }
        buffer[header.PayloadOffset..length].CopyTo(buffer[(header.PayloadOffset + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[header.PayloadOffset..], header.SequenceNumber);
        RtpHeaderWriter.SetSequenceNumber(buffer, rtxSequenceNumber);
        RtpHeaderWriter.SetSsrc(buffer, rtxSsrc);
        RtpHeaderWriter.SetPayloadType(buffer, rtxPayloadType);
        newLength = length + 2;
        return true;
    }
}
