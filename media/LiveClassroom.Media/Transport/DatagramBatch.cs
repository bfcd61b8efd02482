using System.Net;
using System.Net.Sockets;

namespace LiveClassroom.Media.Transport;

/// <summary>
/// The datagrams one receive thread took off its socket in one go: the first waited for, the rest already queued behind
/// it (never waited for). Buffers and addresses are the thread's own and reused for every batch; a packet is valid only
/// until the thread receives again. Lets a sink do a burst of one peer's packets under one lock (UdpTransport.Batch.cs).
/// </summary>
internal sealed class DatagramBatch
{
    private readonly byte[][] _buffers;
    private readonly int[] _lengths;
    private readonly SocketAddress[] _from;

    /// <param name="buffers">One buffer per datagram of a batch, at least one.</param>
    public DatagramBatch(byte[][] buffers, AddressFamily family)
    {
        ArgumentOutOfRangeException.ThrowIfZero(buffers.Length);
        _buffers = buffers;
        _lengths = new int[buffers.Length];
        _from = new SocketAddress[buffers.Length];
        for (var i = 0; i < _from.Length; i++)
        {
            _from[i] = new SocketAddress(family);
        }
    }

    /// <summary>Datagrams a batch can hold.</summary>
    public int Capacity => _buffers.Length;

    /// <summary>Datagrams in the current batch.</summary>
    public int Count { get; internal set; }

    /// <summary>Sets the batch's content (tests and benchmarks hand sinks batches without a socket).</summary>
    internal void Set(int index, ReadOnlySpan<byte> datagram)
    {
        datagram.CopyTo(_buffers[index]);
        _lengths[index] = datagram.Length;
    }

    public Span<byte> Packet(int index) => _buffers[index].AsSpan(0, _lengths[index]);

    internal byte[] BufferAt(int index) => _buffers[index];

    internal SocketAddress From(int index) => _from[index];

    internal void SetLength(int index, int length) => _lengths[index] = length;
}
