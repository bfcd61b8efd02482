namespace LiveClassroom.Media.Rtcp;

/// <summary>The fixed part of a transport-cc FCI: base sequence, status count, reference time (×64 ms, signed 24-bit), feedback count.</summary>
internal readonly record struct TransportCcHeader(ushort BaseSequence, ushort PacketStatusCount, int ReferenceTime, byte FeedbackCount)
{
    public const int Length = 8;

    public const int ReferenceTimeMicroseconds = 64_000;

    public long ReferenceTimeUs => (long)ReferenceTime * ReferenceTimeMicroseconds;
}
