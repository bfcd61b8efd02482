using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtcp;

// RFC 5104 §4.3.1: FIR FCI entries of SSRC (32) + command sequence number (8) + 24 reserved bits.
internal static class RtcpFir
{
    public const int EntryLength = 8;

    public static int EntryCount(ReadOnlySpan<byte> fci) => fci.Length / EntryLength;

    public static (uint Ssrc, byte SequenceNumber) GetEntry(ReadOnlySpan<byte> fci, int index)
    {
        var at = fci[(index * EntryLength)..];
        return (BinaryPrimitives.ReadUInt32BigEndian(at), at[4]);
    }
}
