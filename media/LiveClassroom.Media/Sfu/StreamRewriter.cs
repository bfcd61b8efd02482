// RFC 7667 §3.7 (switching RTP middlebox): one outgoing SSRC per subscriber slot whose sequence numbers and timestamps
// (RFC 3550 §5.1) stay continuous and monotonic while the middlebox switches between incoming streams.
// RFC 3550 Appendix A.1: sequence numbers are compared as extended (rolled-over) 64-bit values, never as 16-bit
// differences, so an order holds for the whole life of a stream, not only for 32,768 packets.
namespace LiveClassroom.Media.Sfu;

/// <summary>
/// Idle → Forwarding(source) ⇄ SwitchPending(target, still forwarding the old source) → Forwarding(target) at the first
/// keyframe packet of the target. Hot path: no allocation; not thread-safe (the room's packet path owns it).
/// </summary>
internal sealed class StreamRewriter
{
    /// <summary>RFC 3550 A.1's MAX_DROPOUT: a forward jump larger than this is confirmed by the next packet before it counts.</summary>
    public const int MaxDropout = 3000;

    /// <summary>How far behind the newest packet a reordered or retransmitted packet may still be forwarded.</summary>
    public const int MaxMisorder = 3000;

    private readonly int _clockRate;
    private uint _current;
    private bool _hasCurrent;
    private uint _target;
    private bool _pending;
    private bool _started;

    // Source side, extended within the current epoch: the epoch's first packet is extended to its own 16-bit value.
    private long _epochFirst;
    private long _sourceHighest;
    private int _unconfirmedJump = -1;

    // Output side: outExtended = sourceExtended + _seqOffset.
    private long _seqOffset;
    private long _lastOutExtended;
    private uint _timestampOffset;
    private uint _lastOutTimestamp;
    private long _lastOutTicks;
    private readonly ushort _initialSeq;
    private readonly uint _initialTimestamp;

    public StreamRewriter(uint outSsrc, int clockRate, ushort initialSeq, uint initialTimestamp)
    {
        OutSsrc = outSsrc;
        _clockRate = clockRate;
        _initialSeq = initialSeq;
        _initialTimestamp = initialTimestamp;
    }

    public uint OutSsrc { get; }

    public bool IsSwitchPending => _pending;

    public bool HasSource => _hasCurrent;

    public uint CurrentSource => _current;

    public uint TargetSource => _target;

    public uint TimestampOffset => _timestampOffset;

    public ushort LastOutSeq => (ushort)_lastOutExtended;

    /// <summary>Every sequence number sent so far on this slot, rolled over (the 16-bit value on the wire is its low bits).</summary>
    public long LastOutExtended => _lastOutExtended;

    /// <summary>Source packets accepted as a restart of the source's numbering (a confirmed jump of more than <see cref="MaxDropout"/>).</summary>
    public long SourceRestarts { get; private set; }

    /// <summary>Asks to move to another incoming stream (another publisher or simulcast layer); takes effect at its next keyframe.</summary>
    public void SwitchTo(uint sourceSsrc)
    {
        if (_hasCurrent && sourceSsrc == _current && !_pending)
        {
            return;
        }
        _target = sourceSsrc;
        _pending = true;
    }

    /// <summary>Re-bases on the current source's next packet (after a pause such as a server-side mute) without a gap.</summary>
    public void Resync()
    {
        if (_hasCurrent)
        {
            _target = _current;
            _pending = true;
            _hasCurrent = false;
        }
    }

    /// <summary>Stays on the current source: a switch asked for and not yet done is called off.</summary>
    public void CancelSwitch()
    {
        if (_hasCurrent)
        {
            _pending = false;
        }
    }

    public void Stop()
    {
        _hasCurrent = false;
        _pending = false;
    }

    /// <summary>
    /// Decides whether a packet of <paramref name="sourceSsrc"/> goes out on this slot, and with which sequence number and
    /// timestamp. <paramref name="isKeyframeStart"/> is true for the first packet of a keyframe (always true for audio).
    /// <paramref name="isRetransmission"/> marks a packet recovered from RTX (RFC 4588): it repeats one sent before, so it
    /// is forwarded only inside the window and never counts towards a restart of the source's numbering.
    /// </summary>
    public bool TryRewrite(uint sourceSsrc, ushort seq, uint timestamp, bool isKeyframeStart, long nowTicks, out ushort outSeq, out uint outTimestamp,
        bool isRetransmission = false)
    {
        outSeq = 0;
        outTimestamp = 0;
        if (_pending && sourceSsrc == _target)
        {
            if (!isKeyframeStart || isRetransmission)
            {
                return false;
            }
            Rebase(seq, timestamp, nowTicks);
            _current = sourceSsrc;
            _hasCurrent = true;
            _pending = false;
        }
        if (!_hasCurrent || sourceSsrc != _current)
        {
            return false;
        }
        var extended = _sourceHighest + (short)(seq - (ushort)_sourceHighest);
        var ahead = extended - _sourceHighest;
        if (ahead > MaxDropout || ahead < -MaxMisorder)
        {
            if (isRetransmission)
            {
                return false;
            }
            // A.1: one packet far away is a stray; two in a row mean the source renumbered (a restarted encoder, a
            // publisher that resumed): start a new epoch that continues the outgoing numbering and timeline.
            if (seq != _unconfirmedJump)
            {
                _unconfirmedJump = (ushort)(seq + 1);
                return false;
            }
            SourceRestarts++;
            Rebase(seq, timestamp, nowTicks);
            extended = _sourceHighest;
        }
        else if (extended < _epochFirst)
        {
            // Packets that predate the switch point belong to a stretch the subscriber never saw.
            return false;
        }
        _unconfirmedJump = -1;
        if (extended > _sourceHighest)
        {
            _sourceHighest = extended;
        }
        var outExtended = extended + _seqOffset;
        outSeq = (ushort)outExtended;
        outTimestamp = timestamp + _timestampOffset;
        if (outExtended > _lastOutExtended || !_started)
        {
            _lastOutExtended = outExtended;
            _lastOutTimestamp = outTimestamp;
            _lastOutTicks = nowTicks;
        }
        _started = true;
        return true;
    }

    /// <summary>
    /// Maps a sequence number the subscriber NACKed back to the current source's, if it was sent in the current epoch
    /// (and so lies within half the sequence space behind the newest packet sent).
    /// </summary>
    public bool TryMapBack(ushort outSeq, out ushort sourceSeq)
    {
        sourceSeq = 0;
        if (!_hasCurrent || !_started)
        {
            return false;
        }
        var outExtended = _lastOutExtended + (short)(outSeq - (ushort)_lastOutExtended);
        var sourceExtended = outExtended - _seqOffset;
        if (outExtended > _lastOutExtended || sourceExtended < _epochFirst)
        {
            return false;
        }
        sourceSeq = (ushort)sourceExtended;
        return true;
    }

    private void Rebase(ushort seq, uint timestamp, long nowTicks)
    {
        _epochFirst = seq;
        _sourceHighest = seq;
        _unconfirmedJump = -1;
        if (!_started)
        {
            _seqOffset = (long)_initialSeq - seq;
            _timestampOffset = _initialTimestamp - timestamp;
            return;
        }
        _seqOffset = _lastOutExtended + 1 - seq;
        // Advance by the wall-clock gap so the decoder's timeline keeps moving forward, at least one tick.
        var elapsedTicks = Math.Max(0, nowTicks - _lastOutTicks);
        var elapsed = (uint)Math.Max(1, Math.Min(elapsedTicks * _clockRate / TimeSpan.TicksPerSecond, 10L * _clockRate));
        _timestampOffset = _lastOutTimestamp + elapsed - timestamp;
    }
}
