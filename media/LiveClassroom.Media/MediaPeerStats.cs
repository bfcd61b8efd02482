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
    long StreamLimitDrops = 0)
{
    /// <summary>Its DTLS session still keeps a thread: handshaking, or lingering until the peer's first protected packet.</summary>
    public bool DtlsLingering { get; init; }

    /// <summary>As a subscriber: retransmissions answered from the SFU's cache.</summary>
    public long Retransmissions { get; init; }

    /// <summary>As a subscriber: retransmissions refused because its budget was spent.</summary>
    public long RetransmissionsOverBudget { get; init; }

    /// <summary>As a subscriber: NACKed packets dropped (received by the SFU but no longer cached, or unknown).</summary>
    public long NacksDropped { get; init; }

    /// <summary>As a subscriber: NACKed packets already asked of the publisher (coalesced).</summary>
    public long NacksCoalesced { get; init; }

    /// <summary>As a subscriber: its NACKed packets the SFU asked of a publisher.</summary>
    public long NacksForwarded { get; init; }

    /// <summary>As a publisher: sequence numbers the SFU asked of it (NACK), over all its streams.</summary>
    public long NacksReceivedUpstream { get; init; }

    /// <summary>As a publisher: keyframe requests (PLI/FIR) the SFU sent it, and those coalesced into an earlier one.</summary>
    public long KeyframeRequests { get; init; }

    /// <summary>SRTCP packets accepted from this peer.</summary>
    public long RtcpPacketsIn { get; init; }

    /// <summary>Times this peer was heard again after an outage of its link (MediaServerOptions.OutageSilence without SRTCP).</summary>
    public int OutagesEnded { get; init; }

    public long KeyframeRequestsCoalesced { get; init; }

    /// <summary>As a subscriber: its estimated downlink in bits per second (0 before any feedback).</summary>
    public long EstimatedBitrateBps { get; init; }

    /// <summary>As a subscriber: where the estimate comes from: <c>transport-cc</c>, <c>remb</c> or <c>none</c>.</summary>
    public string EstimateSource { get; init; } = "none";

    /// <summary>As a subscriber: its video is paused for lack of bandwidth (audio-first).</summary>
    public bool VideoPaused { get; init; }

    /// <summary>As a subscriber with an estimate: its parts and the probes so far (null before any feedback).</summary>
    public MediaBandwidthTrace? Bandwidth { get; init; }

    /// <summary>As a subscriber: the highest interarrival jitter its receiver reports give for what the SFU sends it, in milliseconds.</summary>
    public double JitterMs { get; init; }
}
