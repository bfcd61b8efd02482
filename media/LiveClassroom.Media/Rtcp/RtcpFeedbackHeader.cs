using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtcp;

// RFC 4585 §6.1: common feedback header; FCI follows the two SSRCs.
internal readonly record struct RtcpFeedbackHeader(byte PacketType, byte Format, uint SenderSsrc, uint MediaSsrc, int FciOffset, int FciLength)
{
    public const int Length = 12;

    public bool IsPli => PacketType == RtcpPacketType.PayloadFeedback && Format == RtcpPacketType.FmtPli;

    public bool IsFir => PacketType == RtcpPacketType.PayloadFeedback && Format == RtcpPacketType.FmtFir;

    public bool IsApplicationLayer => PacketType == RtcpPacketType.PayloadFeedback && Format == RtcpPacketType.FmtApplicationLayer;

    public bool IsNack => PacketType == RtcpPacketType.TransportFeedback && Format == RtcpPacketType.FmtNack;

    public bool IsTransportCc => PacketType == RtcpPacketType.TransportFeedback && Format == RtcpPacketType.FmtTransportCc;

    public static bool TryParse(ReadOnlySpan<byte> packet, out RtcpFeedbackHeader header)
    {
        header = default;
        if (packet.Length < Length || packet[1] is not (RtcpPacketType.TransportFeedback or RtcpPacketType.PayloadFeedback))
        {
            return false;
        }
        header = new RtcpFeedbackHeader(
            packet[1],
            (byte)(packet[0] & 0x1F),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[8..]),
            Length,
            packet.Length - Length);
        return true;
    }

    public ReadOnlySpan<byte> Fci(ReadOnlySpan<byte> packet) => packet.Slice(FciOffset, FciLength);
}
