namespace LiveClassroom.Grains.Classroom;

/// <summary>Latest connection quality of one participant (as reported by the client or the SFU).</summary>
[GenerateSerializer, Immutable, Alias("lc.ParticipantStats")]
public sealed record ParticipantStats(
    string PrincipalId,
    double RoundTripTimeMs,
    double PacketLoss,
    long InboundBitrateBps,
    long OutboundBitrateBps,
    string Quality);
