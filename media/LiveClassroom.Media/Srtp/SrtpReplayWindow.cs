namespace LiveClassroom.Media.Srtp;

// RFC 3711 §3.3.2: a sliding bitmap of recently accepted indices; 128 entries (the RFC's minimum is 64)
// so a burst of NACK retransmissions arriving out of order is still accepted.
internal struct SrtpReplayWindow
{
    public const int Size = 128;

    private ulong _highest;
    private ulong _low;  // bit i: highest - i seen (i in 0..63)
    private ulong _high; // bit i: highest - 64 - i seen
    private bool _initialised;

    public readonly bool IsInitialised => _initialised;

    public readonly ulong Highest => _highest;

    /// <summary>Checks without changing state (state changes only after authentication).</summary>
    public readonly SrtpStatus Check(ulong index)
    {
        if (!_initialised || index > _highest)
        {
            return SrtpStatus.Ok;
        }
        var delta = _highest - index;
        if (delta >= Size)
        {
            return SrtpStatus.TooOld;
        }
        var seen = delta < 64 ? (_low >> (int)delta) & 1 : (_high >> (int)(delta - 64)) & 1;
        return seen != 0 ? SrtpStatus.Replayed : SrtpStatus.Ok;
    }

    public void Accept(ulong index)
    {
        if (!_initialised)
        {
            _initialised = true;
            _highest = index;
            _low = 1;
            _high = 0;
            return;
        }
        if (index > _highest)
        {
            var shift = index - _highest;
            if (shift >= Size)
            {
                _low = 0;
                _high = 0;
            }
            else if (shift >= 64)
            {
                _high = _low << (int)(shift - 64);
                _low = 0;
            }
            else
            {
                _high = (_high << (int)shift) | (_low >> (int)(64 - shift));
                _low <<= (int)shift;
            }
            _low |= 1;
            _highest = index;
            return;
        }
        var delta = _highest - index;
        if (delta < 64)
        {
            _low |= 1UL << (int)delta;
        }
        else if (delta < Size)
        {
            _high |= 1UL << (int)(delta - 64);
        }
    }
}
