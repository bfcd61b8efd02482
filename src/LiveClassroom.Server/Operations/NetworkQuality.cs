namespace LiveClassroom.Server.Operations;

/// <summary>
/// The link quality levels of the network dashboard, from the SFU's figures. The loss and round-trip limits are the
/// browsers' own (media/MediaSession.ts), so the dashboard and the console tiles agree; jitter and an audio-only pause
/// (the SFU found the downlink too thin for any video layer) count as well.
/// </summary>
public static class NetworkQuality
{
    public const string Good = "good";
    public const string Fair = "fair";
    public const string Poor = "poor";
    public const string Unknown = "unknown";

    public const double PoorLoss = 0.08;
    public const double FairLoss = 0.02;
    public const double PoorRoundTripMs = 400;
    public const double FairRoundTripMs = 200;
    // Video jitter in receiver reports counts a frame's paced packets too (they share one timestamp): tens of ms are normal.
    public const double PoorJitterMs = 150;
    public const double FairJitterMs = 60;

    /// <summary>
    /// <paramref name="connection"/> is the classroom's presence (<c>Connected</c>, <c>Reconnecting</c>, <c>Left</c>,
    /// <c>Absent</c>); the figures are null when nobody measured them.
    /// </summary>
    public static string Rate(string connection, double? roundTripMs, double? loss, double? jitterMs, bool videoPaused)
    {
        if (connection == "Reconnecting")
        {
            return Poor;
        }
        if (connection != "Connected" || (roundTripMs is null && loss is null))
        {
            return Unknown;
        }
        if (videoPaused || loss >= PoorLoss || roundTripMs > PoorRoundTripMs || jitterMs > PoorJitterMs)
        {
            return Poor;
        }
        return loss >= FairLoss || roundTripMs > FairRoundTripMs || jitterMs > FairJitterMs ? Fair : Good;
    }

    /// <summary>A degraded link earns the dashboard's badge: anything below good that was measured.</summary>
    public static bool IsDegraded(string quality) => quality is Fair or Poor;
}
