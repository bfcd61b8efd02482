// RFC 7667 §3.7 (switching RTP middlebox): one outgoing SSRC per subscriber slot whose sequence numbers and timestamps
// (RFC 3550 §5.1) stay continuous and monotonic while the middlebox switches between incoming streams.
namespace LiveClassroom.Media.Sfu;

/// <summary>
/// Idle → Forwarding(source) ⇄ SwitchPending(target, still forwarding the old source) → Forwarding(target) at the first
/// keyframe packet of the target. Hot path: no allocation; not thread-safe (the room's packet path owns it).
/// </summary>
internal sealed class StreamRewriter
{
    private readonly int _clockRate;
    private uint _current;
    private bool _hasCurrent;
    private uint _target;
    private bool _pending;
    private bool _started;
    private ushort _seqOffset;
    private uint _timestampOffset;
    private ushort _epochFirstSeq;
    private ushort _lastOutSeq;
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

    public ushort SeqOffset => _seqOffset;

    public uint TimestampOffset => _timestampOffset;

    public ushort LastOutSeq => _lastOutSeq;

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

    public void Stop()
    {
        _hasCurrent = false;
        _pending = false;
    }

    /// <summary>
    /// Decides whether a packet of <paramref name="sourceSsrc"/> goes out on this slot, and with which sequence number and
    /// timestamp. <paramref name="isKeyframeStart"/> is true for the first packet of a keyframe (always true for audio).
    /// </summary>
    public bool TryRewrite(uint sourceSsrc, ushort seq, uint timestamp, bool isKeyframeStart, long nowTicks, out ushort outSeq, out uint outTimestamp)
    {
        outSeq = 0;
        outTimestamp = 0;
        if (_pending && sourceSsrc == _target)
        {
            if (!isKeyframeStart)
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
        // Packets that predate the switch point belong to a stretch the subscriber never saw.
        if ((short)(seq - _epochFirstSeq) < 0)
        {
            return false;
        }
        outSeq = (ushort)(seq + _seqOffset);
        outTimestamp = timestamp + _timestampOffset;
        if ((short)(outSeq - _lastOutSeq) > 0 || !_started)
        {
            _lastOutSeq = outSeq;
            _lastOutTimestamp = outTimestamp;
            _lastOutTicks = nowTicks;
        }
        _started = true;
        return true;
    }

    /// <summary>Maps a sequence number the subscriber NACKed back to the current source's, if it lies in the current epoch.</summary>
    public bool TryMapBack(ushort outSeq, out ushort sourceSeq)
    {
        sourceSeq = (ushort)(outSeq - _seqOffset);
        return _hasCurrent && (short)(sourceSeq - _epochFirstSeq) >= 0 && (short)(outSeq - _lastOutSeq) <= 0;
    }

    private void Rebase(ushort seq, uint timestamp, long nowTicks)
    {
        _epochFirstSeq = seq;
        if (!_started)
        {
            _seqOffset = (ushort)(_initialSeq - seq);
            _timestampOffset = _initialTimestamp - timestamp;
            return;
        }
        _seqOffset = (ushort)(_lastOutSeq + 1 - seq);
        // Advance by the wall-clock gap so the decoder's timeline keeps moving forward, at least one tick.
        var elapsedTicks = Math.Max(0, nowTicks - _lastOutTicks);
        var elapsed = (uint)Math.Max(1, Math.Min(elapsedTicks * _clockRate / TimeSpan.TicksPerSecond, 10L * _clockRate));
        _timestampOffset = _lastOutTimestamp + elapsed - timestamp;
    }
}
