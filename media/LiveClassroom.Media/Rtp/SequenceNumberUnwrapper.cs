namespace LiveClassroom.Media.Rtp;

// RFC 3550 Appendix A.1: extends 16-bit sequence numbers to 64 bits, accepting reordering within half the space.
/// <summary>Maps 16-bit sequence numbers onto a monotonic 64-bit line. A mutable struct: keep it in a field, not a copy.</summary>
internal struct SequenceNumberUnwrapper
{
    private long _last;
    private bool _started;

    public long Unwrap(ushort sequenceNumber)
    {
        if (!_started)
        {
            _started = true;
            _last = sequenceNumber;
            return _last;
        }
        var delta = (short)(sequenceNumber - (ushort)_last);
        var value = _last + delta;
        if (value > _last)
        {
            _last = value;
        }
        return value;
    }

    /// <summary>True if <paramref name="a"/> is newer than <paramref name="b"/> modulo 2^16.</summary>
    public static bool IsNewer(ushort a, ushort b) => a != b && (ushort)(a - b) < 0x8000;
}
