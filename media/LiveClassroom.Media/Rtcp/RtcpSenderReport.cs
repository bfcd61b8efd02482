using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtcp;

// RFC 3550 §6.4.1: sender SSRC, NTP timestamp (64), RTP timestamp, packet count, octet count, report blocks.
internal readonly record struct RtcpSenderReport(uint Ssrc, ulong NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount, int ReportCount)
{
    public const int HeaderLength = 28;

    /// <param name="packet">One packet from <see cref="RtcpCompoundEnumerator"/> (header included, padding excluded).</param>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtcpSenderReport report)
    {
        report = default;
        if (packet.Length < HeaderLength || packet[1] != RtcpPacketType.SenderReport)
        {
            return false;
        }
        var count = packet[0] & 0x1F;
        if (packet.Length < HeaderLength + (count * RtcpReportBlock.Length))
        {
            return false;
        }
        report = new RtcpSenderReport(
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt64BigEndian(packet[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[20..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[24..]),
            count);
        return true;
    }

    /// <summary>Middle 32 bits of the NTP timestamp: what receivers echo as LSR.</summary>
    public uint CompactNtp => (uint)(NtpTimestamp >> 16);

    public static RtcpReportBlock GetReportBlock(ReadOnlySpan<byte> packet, int index) =>
        RtcpReportBlock.Read(packet[(HeaderLength + (index * RtcpReportBlock.Length))..]);
}
