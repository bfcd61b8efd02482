using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtcp;

// RFC 3550 §6.6: SC SSRC/CSRC identifiers, then an optional length-prefixed reason.
internal static class RtcpBye
{
    public static bool TryGetSourceCount(ReadOnlySpan<byte> packet, out int count)
    {
        count = 0;
        if (packet.Length < 4 || packet[1] != RtcpPacketType.Goodbye)
        {
            return false;
        }
        var sc = packet[0] & 0x1F;
        if (packet.Length < 4 + (4 * sc))
        {
            return false;
        }
        count = sc;
        return true;
    }

    public static uint GetSsrc(ReadOnlySpan<byte> packet, int index) => BinaryPrimitives.ReadUInt32BigEndian(packet[(4 + (4 * index))..]);

    public static ReadOnlySpan<byte> GetReason(ReadOnlySpan<byte> packet)
    {
        var at = 4 + (4 * (packet[0] & 0x1F));
        if (packet.Length <= at || packet.Length - at - 1 < packet[at])
        {
            return default;
        }
        return packet.Slice(at + 1, packet[at]);
    }
}
