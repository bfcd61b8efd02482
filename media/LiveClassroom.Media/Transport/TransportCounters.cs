namespace LiveClassroom.Media.Transport;

/// <summary>Counters a transport keeps; written by its threads with Interlocked, readable from anywhere.</summary>
internal sealed class TransportCounters
{
    private readonly long[] _drops = new long[Enum.GetValues<TransportDropReason>().Length];
    private readonly long[] _delivered = new long[Enum.GetValues<PacketKind>().Length];
    private long _packetsReceived;
    private long _bytesReceived;
    // Per packet sent, from every worker and fan-out lane at once: striped (the others are per datagram received).
    private readonly Diagnostics.StripedCounter _packetsSent = new();
    private readonly Diagnostics.StripedCounter _bytesSent = new();
    private long _sendErrors;
    // One counter per worker, 64 bytes apart so workers do not share a cache line.
    private const int WorkerStride = 8;
    private readonly long[] _workerPackets;

    public TransportCounters(int workers = 1) => _workerPackets = new long[Math.Max(1, workers) * WorkerStride];

    /// <summary>Number of workers counted (sockets per binding).</summary>
    public int Workers => _workerPackets.Length / WorkerStride;

    /// <summary>Datagrams received by one worker's sockets (every binding's socket with that index).</summary>
    public long WorkerPackets(int worker) => Interlocked.Read(ref _workerPackets[worker * WorkerStride]);

    internal void WorkerReceived(int worker) => Interlocked.Increment(ref _workerPackets[worker * WorkerStride]);

    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public long PacketsSent => _packetsSent.Value;

    public long BytesSent => _bytesSent.Value;

    public long SendErrors => Interlocked.Read(ref _sendErrors);

    public long Dropped(TransportDropReason reason) => Interlocked.Read(ref _drops[(int)reason]);

    /// <summary>Packets of a kind handed to a peer's sink.</summary>
    public long Delivered(PacketKind kind) => Interlocked.Read(ref _delivered[(int)kind]);

    public long TotalDropped
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _drops.Length; i++)
            {
                sum += Interlocked.Read(ref _drops[i]);
            }
            return sum;
        }
    }

    internal void Drop(TransportDropReason reason) => Interlocked.Increment(ref _drops[(int)reason]);

    internal void Deliver(PacketKind kind) => Interlocked.Increment(ref _delivered[(int)kind]);

    internal void Received(int bytes)
    {
        Interlocked.Increment(ref _packetsReceived);
        Interlocked.Add(ref _bytesReceived, bytes);
    }

    internal void Sent(int bytes)
    {
        _packetsSent.Increment();
        _bytesSent.Add(bytes);
    }

    internal void SendFailed() => Interlocked.Increment(ref _sendErrors);
}
