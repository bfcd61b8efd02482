namespace LiveClassroom.Media.Rtcp;

// RFC 3550 Appendix A.1 (sequence number validation: MAX_DROPOUT, MAX_MISORDER, restart on a confirmed jump),
// A.3 (expected and lost packets, fraction lost per interval), A.8 (interarrival jitter), §6.4.1 (LSR/DLSR).
/// <summary>
/// Receive statistics of one incoming SSRC, turned into report blocks for RR/SR. Not thread-safe: feed it from the
/// thread that handles the stream's packets and create reports under the same discipline.
/// States: empty → receiving (→ restarted after a confirmed large sequence jump).
/// </summary>
internal sealed class RtpReceiveStatistics
{
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;
    private const int SequenceModulo = 1 << 16;

    private readonly int _clockRate;
    private bool _started;
    private ushort _maxSeq;
    private uint _cycles;
    private uint _baseSeq;
    private int _badSeq = -1;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private long _jitterQ4; // jitter in timestamp units, scaled by 16 (A.8's integer form)
    private long _lastTransit;
    private bool _hasTransit;
    private uint _lastSenderReport;
    private long _lastSenderReportArrivalUs;

    public RtpReceiveStatistics(uint ssrc, int clockRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clockRate, 1);
        Ssrc = ssrc;
        _clockRate = clockRate;
    }

    public uint Ssrc { get; }

    public long PacketsReceived => _received;

    public uint ExtendedHighestSequence => _cycles + _maxSeq;

    public long ExpectedPackets => _started ? (long)ExtendedHighestSequence - _baseSeq + 1 : 0;

    /// <summary>Expected minus received; negative with duplicates (RFC 3550 §6.4.1).</summary>
    public long CumulativeLost => ExpectedPackets - _received;

    /// <summary>Interarrival jitter in RTP timestamp units.</summary>
    public uint Jitter => (uint)(_jitterQ4 >> 4);

    /// <summary>
    /// Records a packet. Returns false when the packet was not counted: the first packet after a large jump, until
    /// the next one confirms the new sequence (A.1).
    /// </summary>
    public bool OnPacket(ushort sequenceNumber, uint rtpTimestamp, long arrivalUs)
    {
        if (!_started)
        {
            Restart(sequenceNumber);
        }
        else
        {
            var delta = (ushort)(sequenceNumber - _maxSeq);
            if (delta < MaxDropout)
            {
                if (sequenceNumber < _maxSeq)
                {
                    _cycles += SequenceModulo;
                }
                _maxSeq = sequenceNumber;
            }
            else if (delta <= SequenceModulo - MaxMisorder)
            {
                if (sequenceNumber == _badSeq)
                {
                    // Two packets in a row agree on the jump: the source restarted its numbering.
                    Restart(sequenceNumber);
                }
                else
                {
                    _badSeq = (ushort)(sequenceNumber + 1);
                    return false;
                }
            }
            // else: duplicate or reordered within MAX_MISORDER; counted, max unchanged.
        }
        _received++;
        UpdateJitter(rtpTimestamp, arrivalUs);
        return true;
    }

    /// <summary>Remembers the sender report's NTP time so the next report block carries LSR and DLSR.</summary>
    public void OnSenderReport(ulong ntpTimestamp, long arrivalUs)
    {
        _lastSenderReport = NtpTimestamp.Compact(ntpTimestamp);
        _lastSenderReportArrivalUs = arrivalUs;
    }

    /// <summary>Builds a report block and starts a new interval for the fraction lost.</summary>
    public RtcpReportBlock CreateReportBlock(long nowUs)
    {
        var expected = ExpectedPackets;
        var expectedInterval = expected - _expectedPrior;
        var receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        var lostInterval = expectedInterval - receivedInterval;
        var fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int)Math.Min(255, (lostInterval << 8) / expectedInterval);
        var cumulative = (int)Math.Clamp(CumulativeLost, -0x800000, 0x7FFFFF);
        uint dlsr = 0;
        if (_lastSenderReport != 0)
        {
            var elapsedUs = Math.Max(0, nowUs - _lastSenderReportArrivalUs);
            dlsr = (uint)Math.Min(uint.MaxValue, elapsedUs * 65536 / 1_000_000);
        }
        return new RtcpReportBlock(Ssrc, (byte)fraction, cumulative, ExtendedHighestSequence, Jitter, _lastSenderReport, dlsr);
    }

    private void Restart(ushort sequenceNumber)
    {
        _started = true;
        _baseSeq = sequenceNumber;
        _maxSeq = sequenceNumber;
        _cycles = 0;
        _badSeq = -1;
        _received = 0;
        _expectedPrior = 0;
        _receivedPrior = 0;
    }

    // A.8: J += (|D| - J) / 16, with D the change in transit time, all in RTP timestamp units.
    private void UpdateJitter(uint rtpTimestamp, long arrivalUs)
    {
        var arrival = arrivalUs * _clockRate / 1_000_000;
        var transit = arrival - rtpTimestamp;
        if (_hasTransit)
        {
            var d = Math.Abs(transit - _lastTransit);
            // Ignore discontinuities (timestamp wrap or source restart) rather than poison the average.
            if (d < (long)_clockRate * 10)
            {
                _jitterQ4 += d - ((_jitterQ4 + 8) >> 4);
            }
        }
        _lastTransit = transit;
        _hasTransit = true;
    }
}
