using LiveClassroom.Media.Sdp;

namespace LiveClassroom.Media.Sfu;

/// <summary>
/// A subscriber's receive transceiver (mid) the SFU sends into: one stable outgoing SSRC, rewritten sequence numbers
/// and timestamps, and the source it should carry (a track and optionally a rid).
/// </summary>
internal sealed class SubscriberSlot
{
    public SubscriberSlot(SfuPeer subscriber, NegotiatedMedia media, uint ssrc)
    {
        Subscriber = subscriber;
        Media = media;
        Mid = media.Mid;
        Kind = media.Kind;
        var clock = Kind == "audio" ? 48000 : 90000;
        Rewriter = new StreamRewriter(ssrc, clock, (ushort)Random.Shared.Next(0, 0x8000), (uint)Random.Shared.Next());
        ClockRate = clock;
    }

    public SfuPeer Subscriber { get; }

    public NegotiatedMedia Media { get; set; }

    public string Mid { get; }

    public string Kind { get; }

    public int ClockRate { get; }

    public StreamRewriter Rewriter { get; }

    public Vp8Rewriter Vp8 { get; } = new();

    /// <summary>The track the slot should carry (null: nothing).</summary>
    public PublishedTrack? Track { get; set; }

    public string? Rid { get; set; }

    /// <summary>The stream currently forwarded (null before the first keyframe of a source).</summary>
    public IncomingStream? Current { get; set; }

    /// <summary>The stream being switched to (waiting for its keyframe).</summary>
    public IncomingStream? Target { get; set; }

    /// <summary>Payload type of the current source's codec in the subscriber's answer, -1 if it has none.</summary>
    public int OutPayloadType { get; set; } = -1;

    public long LastKeyframeRequestTicks { get; set; }

    public uint PacketsSent { get; set; }

    public uint OctetsSent { get; set; }

    public long PacketsForwarded { get; set; }

    public long NackHits { get; set; }

    /// <summary>Retransmissions sent on the RTX stream (RFC 4588), not counted in <see cref="PacketsSent"/>.</summary>
    public long RtxPacketsSent { get; set; }

    public long NackForwarded { get; set; }

    /// <summary>NACKed packets the SFU had received but no longer caches: dropped, never asked of the publisher.</summary>
    public long NackDropped { get; set; }

    /// <summary>NACKed packets already asked of the publisher (for this or another subscriber): not asked again.</summary>
    public long NackCoalesced { get; set; }

    /// <summary>Retransmissions refused because the subscriber's retransmission budget was spent.</summary>
    public long RetransmissionsOverBudget { get; set; }

    public uint LastSenderReportMid { get; set; }

    public long LastSenderReportTicks { get; set; }

    public double RoundTripTimeMs { get; set; }

    public double LossFraction { get; set; }

    /// <summary>Interarrival jitter the subscriber last reported for this slot (RFC 3550 §6.4.1), in milliseconds.</summary>
    public double JitterMs { get; set; }

    public bool AutoRouted { get; set; }

    /// <summary>
    /// The route the class last asked for (<see cref="SfuRoom.Route"/>), kept while its track is gone so the slot is
    /// bound again when a peer of that id publishes that mid again (SfuRoom.Rebind.cs); null after an unroute.
    /// </summary>
    public MediaTrackSource? Wish { get; set; }

    /// <summary>RFC 4588 RTX SSRC announced with this (video) slot, 0 for none; bandwidth probes go there.</summary>
    public uint RtxSsrc { get; set; }

    public ushort RtxSequence { get; set; } = (ushort)Random.Shared.Next(0, 0x8000);

    /// <summary>The layer (rid) chosen from the subscriber's estimate; null: the routed rid (or the highest).</summary>
    public string? SelectedRid { get; set; }

    /// <summary>Audio-first: the estimate cannot carry even the lowest layer, so nothing is forwarded on this video slot.</summary>
    public bool Paused { get; set; }

    /// <summary>When the video slot last paused (ticks); a pause retries the lowest layer after <see cref="SfuRoom.PausedRetryAfter"/>.</summary>
    public long PausedSinceTicks { get; set; }

    /// <summary>
    /// The video paused because the link lost packets (or its loss-based estimate fell below the lowest layer): it
    /// resumes only once a validating probe shows the link carries the lowest layer (docs/BANDWIDTH.md).
    /// </summary>
    public bool PausedForLoss { get; set; }

    /// <summary>Holds a pause until the estimate has stayed low, and backs off steps up that keep failing.</summary>
    public LayerGate Gate { get; } = new();

    /// <summary>Since when (ticks) the estimate has allowed the next layer up (0: it does not).</summary>
    public long UpAllowedSinceTicks { get; set; }
}
