// RFC 4585 §6.2.1 / RFC 4588: a bounded history of sent media so NACKed packets can be resent.
namespace LiveClassroom.Media.Sfu;

/// <summary>
/// A ring of slots indexed by RTP sequence number (power-of-two size). Stores plain RTP as received from the
/// publisher. Slots remember the extended (rolled-over, RFC 3550 A.1) sequence number, so neither a wrapped slot nor a
/// packet from an earlier 16-bit cycle is ever mistaken for the wanted one. Not thread-safe: owned by the room's packet path.
/// Packets are stored back to back in a byte ring made of chunks that are allocated only when the ring first reaches
/// them, up to a byte budget: a quiet or low-rate stream holds little memory, a busy one at most the budget.
/// </summary>
internal sealed class PacketCache
{
    public const int MaxPacketSize = 1500;

    /// <summary>Bytes per arena chunk; the budget is rounded up to whole chunks (at least one).</summary>
    public const int ChunkSize = 32 * 1024;

    private readonly byte[]?[] _chunks;
    private readonly long _ringBytes;
    private readonly int _mask;
    private int[]? _lengths;
    private long[]? _seqs;
    // Absolute byte position (ever increasing) of each slot's packet in the ring; valid while not overwritten.
    private long[]? _positions;
    private long _cursor;
    private long _highest = long.MinValue;

    public PacketCache(int capacity, int byteBudget = 0)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be a power of two");
        }
        var budget = byteBudget > 0 ? byteBudget : capacity * MaxPacketSize;
        _chunks = new byte[]?[Math.Max(1, (budget + ChunkSize - 1) / ChunkSize)];
        _ringBytes = (long)_chunks.Length * ChunkSize;
        _mask = capacity - 1;
    }

    public int Capacity => _mask + 1;

    /// <summary>The most packet bytes this cache will ever hold (whole chunks).</summary>
    public long ByteBudget => _ringBytes;

    /// <summary>Bytes allocated so far: chunks reached plus the slot index (allocated with the first packet).</summary>
    public long AllocatedBytes { get; private set; }

    public long Hits { get; private set; }

    public long Misses { get; private set; }

    public void Add(ushort seq, ReadOnlySpan<byte> packet)
    {
        if (packet.Length > MaxPacketSize)
        {
            return;
        }
        if (_seqs is null)
        {
            AllocateIndex();
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
        // A packet never spans chunks: skip the rest of the current chunk when it does not fit.
        var offset = (int)(_cursor % ChunkSize);
        if (offset + packet.Length > ChunkSize)
        {
            _cursor += ChunkSize - offset;
            offset = 0;
        }
        var chunkIndex = (int)(_cursor / ChunkSize % _chunks.Length);
        var chunk = _chunks[chunkIndex];
        if (chunk is null)
        {
            chunk = _chunks[chunkIndex] = new byte[ChunkSize];
            AllocatedBytes += ChunkSize;
        }
        packet.CopyTo(chunk.AsSpan(offset));
        var slot = seq & _mask;
        _positions![slot] = _cursor;
        _lengths![slot] = packet.Length;
        _seqs![slot] = extended;
        _cursor += packet.Length;
    }

    public bool TryGet(ushort seq, out ReadOnlySpan<byte> packet)
    {
        var extended = Extend(seq);
        var slot = seq & _mask;
        // The bytes of a packet written more than one ring ago have been overwritten by newer packets.
        if (_highest == long.MinValue || extended > _highest || _seqs![slot] != extended || _positions![slot] < _cursor - _ringBytes)
        {
            packet = default;
            Misses++;
            return false;
        }
        var position = _positions[slot];
        var chunk = _chunks[(int)(position / ChunkSize % _chunks.Length)]!;
        packet = chunk.AsSpan((int)(position % ChunkSize), _lengths![slot]);
        Hits++;
        return true;
    }

    private void AllocateIndex()
    {
        var capacity = _mask + 1;
        _lengths = new int[capacity];
        _positions = new long[capacity];
        _seqs = new long[capacity];
        Array.Fill(_seqs, long.MinValue);
        AllocatedBytes += capacity * (sizeof(int) + sizeof(long) + sizeof(long));
    }

    /// <summary>The sequence number as the extended value nearest the newest one stored (within half the 16-bit space).</summary>
    private long Extend(ushort seq) => _highest == long.MinValue ? seq : _highest + (short)(seq - (ushort)_highest);
}
