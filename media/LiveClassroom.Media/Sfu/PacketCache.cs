// RFC 4585 §6.2.1 / RFC 4588: a bounded history of sent media so NACKed packets can be resent.
namespace LiveClassroom.Media.Sfu;

/// <summary>
/// A ring of preallocated buffers indexed by RTP sequence number (power-of-two size). Stores plain RTP as received from the
/// publisher. Slots remember the extended (rolled-over, RFC 3550 A.1) sequence number, so neither a wrapped slot nor a
/// packet from an earlier 16-bit cycle is ever mistaken for the wanted one. Not thread-safe: owned by the room's packet path.
/// </summary>
internal sealed class PacketCache
{
    public const int MaxPacketSize = 1500;

    private readonly byte[] _buffer;
    private readonly int[] _lengths;
    private readonly long[] _seqs;
    private long _highest = long.MinValue;
    private readonly int _mask;

    public PacketCache(int capacity)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be a power of two");
        }
        _buffer = new byte[capacity * MaxPacketSize];
        _lengths = new int[capacity];
        _seqs = new long[capacity];
        Array.Fill(_seqs, long.MinValue);
        _mask = capacity - 1;
    }

    public int Capacity => _mask + 1;

    public long Hits { get; private set; }

    public long Misses { get; private set; }

    public void Add(ushort seq, ReadOnlySpan<byte> packet)
    {
        if (packet.Length > MaxPacketSize)
        {
            return;
        }
        var extended = Extend(seq);
        if (_highest != long.MinValue && extended <= _highest - Capacity)
        {
            // A late packet (say a retransmission from the publisher) older than the ring: its slot now holds a newer one.
            return;
        }
        if (extended > _highest)
        {
            _highest = extended;
        }
        var slot = seq & _mask;
        packet.CopyTo(_buffer.AsSpan(slot * MaxPacketSize, MaxPacketSize));
        _lengths[slot] = packet.Length;
        _seqs[slot] = extended;
    }

    public bool TryGet(ushort seq, out ReadOnlySpan<byte> packet)
    {
        var extended = Extend(seq);
        var slot = seq & _mask;
        if (_highest == long.MinValue || extended > _highest || _seqs[slot] != extended)
        {
            packet = default;
            Misses++;
            return false;
        }
        packet = _buffer.AsSpan(slot * MaxPacketSize, _lengths[slot]);
        Hits++;
        return true;
    }

    /// <summary>The sequence number as the extended value nearest the newest one stored (within half the 16-bit space).</summary>
    private long Extend(ushort seq) => _highest == long.MinValue ? seq : _highest + (short)(seq - (ushort)_highest);
}
