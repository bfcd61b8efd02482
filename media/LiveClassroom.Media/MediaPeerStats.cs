namespace LiveClassroom.Media;

/// <summary>
/// One peer as the SFU sees it; bitrates are averaged over the last second. <paramref name="BufferedBytes"/>: memory its
/// incoming streams hold in retransmission caches; <paramref name="IncomingStreams"/>: SSRCs learnt from it;
/// <paramref name="StreamLimitDrops"/>: its packets dropped because their SSRC exceeded a stream limit.
/// </summary>
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
    long PacketsDropped,
    long BufferedBytes = 0,
    int IncomingStreams = 0,
    long StreamLimitDrops = 0);
