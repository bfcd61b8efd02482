namespace LiveClassroom.Server.Hubs;

/// <summary>The <c>ReportConnectionStats</c> argument: the client's own view of its link (WebRTC getStats).</summary>
public sealed record ConnectionStatsReport(
    double RoundTripTimeMs,
    double PacketLoss,
    long InboundBitrateBps,
    long OutboundBitrateBps,
    string? Quality);
