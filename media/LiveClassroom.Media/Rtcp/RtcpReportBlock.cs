using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtcp;

// RFC 3550 §6.4.1: SSRC, fraction lost (8), cumulative lost (24, signed), extended highest sequence, jitter, LSR, DLSR.
internal readonly record struct RtcpReportBlock(
    uint Ssrc, byte FractionLost, int CumulativeLost, uint ExtendedHighestSequence, uint Jitter, uint LastSenderReport, uint DelaySinceLastSenderReport)
{
    public const int Length = 24;

    public static RtcpReportBlock Read(ReadOnlySpan<byte> block)
    {
        var lost = (block[5] << 16) | (block[6] << 8) | block[7];
        if ((lost & 0x800000) != 0)
        {
            lost |= unchecked((int)0xFF000000);
        }
        return new RtcpReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(block),
            block[4],
            lost,
            BinaryPrimitives.ReadUInt32BigEndian(block[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(block[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(block[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(block[20..]));
    }

    public void Write(Span<byte> block)
    {
        BinaryPrimitives.WriteUInt32BigEndian(block, Ssrc);
        var lost = Math.Clamp(CumulativeLost, -0x800000, 0x7FFFFF);
        block[4] = FractionLost;
        block[5] = (byte)(lost >> 16);
        block[6] = (byte)(lost >> 8);
        block[7] = (byte)lost;
        BinaryPrimitives.WriteUInt32BigEndian(block[8..], ExtendedHighestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(block[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(block[16..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(block[20..], DelaySinceLastSenderReport);
    }
}
