namespace LiveClassroom.Media.Buffers;

/// <summary>
/// A fixed set of equally sized packet buffers, allocated up front. The pool never grows:
/// when every buffer is out, <see cref="TryRent"/> fails and the caller drops the packet
/// (counted in <see cref="Exhausted"/>). Thread-safe; a short lock is cheaper here than a
/// lock-free stack that would allocate nodes.
/// </summary>
internal sealed class PacketBufferPool
{
    /// <summary>Large enough for any datagram on a 1500-byte MTU path plus SRTP tags and headroom.</summary>
    public const int DefaultBufferSize = 2048;

    private readonly byte[][] _free;
    private readonly Lock _lock = new();
    private int _freeCount;
    private long _exhausted;
    private long _rejectedReturns;

    public PacketBufferPool(int capacity, int bufferSize = DefaultBufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 64);
        BufferSize = bufferSize;
        Capacity = capacity;
        _free = new byte[capacity][];
        for (var i = 0; i < capacity; i++)
        {
            _free[i] = new byte[bufferSize];
        }
        _freeCount = capacity;
    }

    public int BufferSize { get; }

    public int Capacity { get; }

    public int Available
    {
        get
        {
            lock (_lock)
            {
                return _freeCount;
            }
        }
    }

    public int InUse => Capacity - Available;

    /// <summary>Number of rent attempts that failed because every buffer was out.</summary>
    public long Exhausted => Interlocked.Read(ref _exhausted);

    /// <summary>Returns that were refused: a foreign array, or more returns than rents.</summary>
    public long RejectedReturns => Interlocked.Read(ref _rejectedReturns);

    public bool TryRent(out byte[] buffer)
    {
        lock (_lock)
        {
            if (_freeCount > 0)
            {
                _freeCount--;
                buffer = _free[_freeCount];
                _free[_freeCount] = null!;
                return true;
            }
        }
        Interlocked.Increment(ref _exhausted);
        buffer = null!;
        return false;
    }

    /// <summary>Gives a buffer back. Arrays of the wrong size, or surplus returns, are refused so the pool cannot grow.</summary>
    public bool Return(byte[] buffer)
    {
        if (buffer is null || buffer.Length != BufferSize)
        {
            Interlocked.Increment(ref _rejectedReturns);
            return false;
        }
        lock (_lock)
        {
            if (_freeCount < _free.Length)
            {
                _free[_freeCount++] = buffer;
                return true;
            }
        }
        Interlocked.Increment(ref _rejectedReturns);
        return false;
    }
}
