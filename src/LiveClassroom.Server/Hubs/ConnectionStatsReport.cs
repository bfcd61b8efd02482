namespace LiveClassroom.Server.Hubs;

/// <summary>
/// The <c>ReportConnectionStats</c> argument: the client's own view of its link (WebRTC getStats). The last four, optional
/// (older clients leave them out), describe the main video it receives: jitter in ms, decoded frame size and frame rate.
/// </summary>
public sealed record ConnectionStatsReport(
    double RoundTripTimeMs,
    double PacketLoss,
    long InboundBitrateBps,
    long OutboundBitrateBps,
    string? Quality,
    double JitterMs = 0,
    int FrameWidth = 0,
    int FrameHeight = 0,
    double FramesPerSecond = 0)
{
    /// <summary>Every figure finite and within what a link or a camera can produce.</summary>
    public bool IsPlausible() =>
        double.IsFinite(RoundTripTimeMs) && RoundTripTimeMs >= 0 && double.IsFinite(PacketLoss) && PacketLoss is >= 0 and <= 1
        && InboundBitrateBps >= 0 && OutboundBitrateBps >= 0 && (Quality?.Length ?? 0) <= 16
        && double.IsFinite(JitterMs) && JitterMs is >= 0 and <= 60_000
        && FrameWidth is >= 0 and <= 8192 && FrameHeight is >= 0 and <= 8192
        && double.IsFinite(FramesPerSecond) && FramesPerSecond is >= 0 and <= 240;
}
