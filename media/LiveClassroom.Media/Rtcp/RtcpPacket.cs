namespace LiveClassroom.Media.Rtcp;

// RFC 3550 §6.4.1 common header: V=2 | P | count/FMT (5 bits) | PT | length in 32-bit words minus one.
/// <summary>One packet inside a compound RTCP packet: where it lies and its header fields.</summary>
internal readonly record struct RtcpPacket(int Offset, int Length, byte PacketType, byte Count, int PaddingLength)
{
    /// <summary>The bytes of this packet, header included, padding excluded.</summary>
    public ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> compound) => compound.Slice(Offset, Length - PaddingLength);

    public Span<byte> Slice(Span<byte> compound) => compound.Slice(Offset, Length - PaddingLength);

    /// <summary>FMT for feedback packets (same bits as the report count).</summary>
    public byte Format => Count;
}
