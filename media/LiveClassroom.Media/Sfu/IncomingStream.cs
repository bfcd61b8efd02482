// RFC 3550 §6.4.1: per-source receive statistics (via the Rtcp layer) and the last SR, kept for SR translation.
using LiveClassroom.Media.Rtcp;

namespace LiveClassroom.Media.Sfu;

/// <summary>One SSRC a publisher sends on a track: a simulcast layer, the single stream, or an RTX stream repairing one.</summary>
internal sealed class IncomingStream
{
    public IncomingStream(PublishedTrack track, uint ssrc, string? rid, IncomingStream? repairs, int cacheSize, int cacheBytes, long nowMillis)
    {
        LastPacketMillis = nowMillis;
        Track = track;
        Ssrc = ssrc;
        Rid = rid;
        Repairs = repairs;
        Statistics = new RtpReceiveStatistics(ssrc, track.Codec.ClockRate);
        if (repairs is null && track.Kind == "video")
        {
            Cache = new PacketCache(cacheSize, cacheBytes);
            History = new ReceivedHistory();
        }
    }

    public PublishedTrack Track { get; }

    public uint Ssrc { get; }

    public string? Rid { get; }

    /// <summary>For an RTX stream, the stream it repairs (RFC 4588 §4).</summary>
    public IncomingStream? Repairs { get; }

    public bool IsRtx => Repairs is not null;

    /// <summary>For a primary stream, the RTX stream repairing it once learnt (at most one).</summary>
    public IncomingStream? RtxStream { get; set; }

    public PacketCache? Cache { get; }

    public RtpReceiveStatistics Statistics { get; }

    /// <summary>Video primaries: which sequence numbers arrived (NACKs stay local for those).</summary>
    public ReceivedHistory? History { get; }

    /// <summary>Lost packets this stream's publisher may be asked for per second (NACKs forwarded upstream).</summary>
    public TokenBucket UpstreamNacks { get; } = new(UpstreamNackRate, UpstreamNackRate);

    /// <summary>Sequence numbers asked of the publisher (each at most once).</summary>
    public long NacksForwarded { get; set; }

    /// <summary>PLI/FIR sent to the publisher for this stream after coalescing and throttling.</summary>
    public long KeyframeRequestsSent { get; set; }

    /// <summary>Keyframe requests for this stream that a recent one already covered.</summary>
    public long KeyframeRequestsCoalesced { get; set; }

    /// <summary>Lost packets per second one stream's publisher may be asked for, whatever the subscribers ask.</summary>
    public const int UpstreamNackRate = 200;

    public bool ByeReceived { get; set; }

    /// <summary>Bytes received since the last once-a-second measurement, and the measured bitrate (a layer's cost).</summary>
    public long BytesSinceMeasure { get; set; }

    public double BitrateBps { get; set; }

    /// <summary>When the last packet arrived (Environment.TickCount64): a silent stream may be replaced by a new SSRC.</summary>
    public long LastPacketMillis { get; set; }

    public bool HasSenderReport { get; private set; }

    public ulong SenderReportNtp { get; private set; }

    public uint SenderReportRtp { get; private set; }

    public long SenderReportTicks { get; private set; }

    public long LastKeyframeRequestTicks { get; set; } = long.MinValue / 2;

    public byte FirSequence { get; set; }

    /// <summary>Fraction lost in the last report interval (0–1).</summary>
    public double LossFraction { get; private set; }

    public void OnSenderReport(ulong ntp, uint rtp, long nowTicks)
    {
        HasSenderReport = true;
        SenderReportNtp = ntp;
        SenderReportRtp = rtp;
        SenderReportTicks = nowTicks;
        Statistics.OnSenderReport(ntp, nowTicks / 10);
    }

    public RtcpReportBlock CreateReportBlock(long nowTicks)
    {
        var block = Statistics.CreateReportBlock(nowTicks / 10);
        LossFraction = block.FractionLost / 256.0;
        return block;
    }
}
