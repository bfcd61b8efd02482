namespace LiveClassroom.Media;

/// <summary>One peer as the SFU sees it; bitrates are averaged over the last second.</summary>
public sealed record MediaPeerStats(
    string PeerId,
    string State,
    long InboundBitrateBps,
    long OutboundBitrateBps,
    double InboundLossFraction,
    double OutboundLossFraction,
    double RoundTripTimeMs,
    string? ReceivedLayer,
    long PacketsForwarded,
    long PacketsDropped);
