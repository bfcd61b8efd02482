// RFC 4585 §6.2.1 (generic NACK) and RFC 3550 A.1 (extended sequence numbers): which packets of one incoming stream
// reached the SFU, kept longer than their payloads stay in the PacketCache. A subscriber's NACK for a packet the SFU
// received is answered from the cache or dropped, never passed to the publisher; a packet the SFU never got is asked
// of the publisher once, however many subscribers miss it — by the SFU itself as soon as the gap shows, so the recorder
// (which cannot ask) gets it too, or at a subscriber's NACK.
namespace LiveClassroom.Media.Sfu;

/// <summary>
/// Per sequence number: Missing → Requested (NACK sent upstream) → Received, over the last <see cref="Size"/> numbers.
/// Not thread-safe (the room's packet path owns it); no allocation after construction.
/// </summary>
internal sealed class ReceivedHistory
{
    public const int Size = 4096;
    private const int Mask = Size - 1;
    private readonly PacketState[] _state = new PacketState[Size];
    private long _highest = long.MinValue;

    /// <summary>Records an arrival; the count of numbers it newly shows missing (the gap just behind it; 0 when none, or too long to track).</summary>
    public int OnPacket(ushort seq)
    {
        if (_highest == long.MinValue)
        {
            _highest = seq;
            _state[seq & Mask] = PacketState.Received;
            return 0;
        }
        var extended = Extend(seq);
        var gap = 0;
        if (extended > _highest)
        {
            if (extended - _highest >= Size)
            {
                Array.Clear(_state);
            }
            else
            {
                for (var s = _highest + 1; s < extended; s++)
                {
                    _state[s & Mask] = PacketState.Missing;
                }
                gap = (int)(extended - _highest - 1);
            }
            _highest = extended;
        }
        else if (extended <= _highest - Size)
        {
            return 0;
        }
        _state[extended & Mask] = PacketState.Received;
        return gap;
    }

    /// <summary>What is known of <paramref name="seq"/>: Unknown when it lies ahead of the newest packet or out of the window.</summary>
    public PacketState Query(ushort seq)
    {
        if (_highest == long.MinValue)
        {
            return PacketState.Unknown;
        }
        var extended = Extend(seq);
        return extended > _highest || extended <= _highest - Size ? PacketState.Unknown : _state[extended & Mask];
    }

    public void MarkRequested(ushort seq)
    {
        if (Query(seq) == PacketState.Missing)
        {
            _state[Extend(seq) & Mask] = PacketState.Requested;
        }
    }

    private long Extend(ushort seq) => _highest + (short)(seq - (ushort)_highest);

    internal enum PacketState : byte
    {
        Missing = 0,
        Received = 1,
        Requested = 2,
        Unknown = 3,
    }
}
