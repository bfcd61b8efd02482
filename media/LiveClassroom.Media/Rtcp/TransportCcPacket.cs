namespace LiveClassroom.Media.Rtcp;

/// <summary>One packet's entry in transport-cc feedback; <see cref="DeltaTicks"/> is in 250 µs units (0 when not received).</summary>
internal readonly record struct TransportCcPacket(ushort Sequence, TransportCcStatus Status, int DeltaTicks)
{
    public const int MicrosecondsPerTick = 250;

    public bool Received => Status != TransportCcStatus.NotReceived;
}
