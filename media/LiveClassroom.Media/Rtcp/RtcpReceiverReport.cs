using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtcp;

// RFC 3550 §6.4.2: sender SSRC then report blocks.
internal readonly record struct RtcpReceiverReport(uint Ssrc, int ReportCount)
{
    public const int HeaderLength = 8;

    public static bool TryParse(ReadOnlySpan<byte> packet, out RtcpReceiverReport report)
    {
        report = default;
        if (packet.Length < HeaderLength || packet[1] != RtcpPacketType.ReceiverReport)
        {
            return false;
        }
        var count = packet[0] & 0x1F;
        if (packet.Length < HeaderLength + (count * RtcpReportBlock.Length))
        {
            return false;
        }
        report = new RtcpReceiverReport(BinaryPrimitives.ReadUInt32BigEndian(packet[4..]), count);
        return true;
    }

    public static RtcpReportBlock GetReportBlock(ReadOnlySpan<byte> packet, int index) =>
        RtcpReportBlock.Read(packet[(HeaderLength + (index * RtcpReportBlock.Length))..]);
}
