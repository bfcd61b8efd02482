// RFC 4585 §6.2.1 / RFC 4588: a bounded history of sent media so NACKed packets can be resent.
namespace LiveClassroom.Media.Sfu;

/// <summary>
/// A ring of preallocated buffers indexed by RTP sequence number (power-of-two size). Stores plain RTP as received from the
/// publisher; lookups check the stored sequence number so a wrapped slot is never mistaken for the wanted packet.
/// Not thread-safe: owned by the room's packet path.
/// </summary>
internal sealed class PacketCache
{
    public const int MaxPacketSize = 1500;

    private readonly byte[] _buffer;
    private readonly int[] _lengths;
    private readonly int[] _seqs;
    private readonly int _mask;

    public PacketCache(int capacity)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be a power of two");
        }
        _buffer = new byte[capacity * MaxPacketSize];
        _lengths = new int[capacity];
        _seqs = new int[capacity];
        Array.Fill(_seqs, -1);
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
        var slot = seq & _mask;
        packet.CopyTo(_buffer.AsSpan(slot * MaxPacketSize, MaxPacketSize));
        _lengths[slot] = packet.Length;
        _seqs[slot] = seq;
    }

    public bool TryGet(ushort seq, out ReadOnlySpan<byte> packet)
    {
        var slot = seq & _mask;
        if (_seqs[slot] != seq)
        {
            packet = default;
            Misses++;
            return false;
        }
        packet = _buffer.AsSpan(slot * MaxPacketSize, _lengths[slot]);
        Hits++;
        return true;
    }
}
