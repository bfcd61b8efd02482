// RFC 3550 §6.4.1 and Appendix A.1/A.3: per-source sequence tracking for receiver reports; §6.4.1 SR timing.
namespace LiveClassroom.Media.Sfu;

/// <summary>One SSRC a publisher sends on a track: a simulcast layer, the single stream, or an RTX stream repairing one.</summary>
internal sealed class IncomingStream
{
    private ushort _maxSeq;
    private uint _cycles;
    private uint _baseSeq;
    private bool _seqInitialised;
    private long _expectedPrior;
    private long _receivedPrior;

    public IncomingStream(PublishedTrack track, uint ssrc, string? rid, IncomingStream? repairs, int cacheSize)
    {
        Track = track;
        Ssrc = ssrc;
        Rid = rid;
        Repairs = repairs;
        if (repairs is null && track.Kind == "video")
        {
            Cache = new PacketCache(cacheSize);
        }
    }

    public PublishedTrack Track { get; }

    public uint Ssrc { get; }

    public string? Rid { get; }

    /// <summary>For an RTX stream, the stream it repairs (RFC 4588 §4).</summary>
    public IncomingStream? Repairs { get; }

    public bool IsRtx => Repairs is not null;

    public PacketCache? Cache { get; }

    public bool ByeReceived { get; set; }

    public long Packets { get; private set; }

    public long Bytes { get; private set; }

    public bool HasSenderReport { get; private set; }

    public ulong SenderReportNtp { get; private set; }

    public uint SenderReportRtp { get; private set; }

    public long SenderReportTicks { get; private set; }

    public long LastKeyframeRequestTicks { get; set; } = long.MinValue / 2;

    public byte FirSequence { get; set; }

    public double LossFraction { get; private set; }

    public void OnPacket(ushort seq, int bytes)
    {
        Packets++;
        Bytes += bytes;
        if (!_seqInitialised)
        {
            _seqInitialised = true;
            _baseSeq = seq;
            _maxSeq = seq;
            return;
        }
        var delta = (ushort)(seq - _maxSeq);
        if (delta is > 0 and < 0x8000)
        {
            if (seq < _maxSeq)
            {
                _cycles += 0x10000;
            }
            _maxSeq = seq;
        }
    }

    public void OnSenderReport(ulong ntp, uint rtp, long nowTicks)
    {
        HasSenderReport = true;
        SenderReportNtp = ntp;
        SenderReportRtp = rtp;
        SenderReportTicks = nowTicks;
    }

    public uint ExtendedHighestSeq => _cycles + _maxSeq;

    /// <summary>RFC 3550 A.3: fraction lost since the last report and the cumulative loss.</summary>
    public (byte Fraction, int Cumulative) TakeLoss()
    {
        if (!_seqInitialised)
        {
            return (0, 0);
        }
        var expected = (long)ExtendedHighestSeq - _baseSeq + 1;
        var lost = expected - Packets;
        var expectedInterval = expected - _expectedPrior;
        var receivedInterval = Packets - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = Packets;
        var lostInterval = expectedInterval - receivedInterval;
        var fraction = expectedInterval <= 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
        LossFraction = fraction / 256.0;
        return (fraction, (int)Math.Clamp(lost, int.MinValue, int.MaxValue));
    }
}
