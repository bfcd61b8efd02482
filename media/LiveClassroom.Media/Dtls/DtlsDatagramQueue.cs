using System.Collections.Concurrent;
using Org.BouncyCastle.Crypto.Tls;

namespace LiveClassroom.Media.Dtls;

/// <summary>
/// BouncyCastle's view of the shared UDP socket for one peer: the packet loop pushes datagrams in (never blocking,
/// bounded), the handshake thread pulls them out. Waits are capped so BouncyCastle's 1 s / doubling retransmission
/// timer effectively becomes a short fixed one, which is what keeps handshakes moving under loss.
/// </summary>
internal sealed class DtlsDatagramQueue : DatagramTransport, IDisposable
{
    public const int Capacity = 64;
    private const int Mtu = 1200;

    private readonly ConcurrentQueue<byte[]> _queue = new();
    private readonly SemaphoreSlim _available = new(0, int.MaxValue);
    private readonly Action<byte[], int, int> _send;
    private readonly CancellationTokenSource _closed = new();
    private long _deadlineTicks = long.MaxValue;
    private int _count;

    public DtlsDatagramQueue(Action<byte[], int, int> send, int retransmitCapMillis)
    {
        _send = send;
        RetransmitCapMillis = retransmitCapMillis;
    }

    /// <summary>Longest single wait while the handshake runs; 0 disables the cap.</summary>
    public int RetransmitCapMillis { get; set; }

    private long _dropped;

    public long Dropped => Interlocked.Read(ref _dropped);

    public bool IsClosed => _closed.IsCancellationRequested;

    /// <summary>After this instant every receive throws <see cref="TimeoutException"/> (which BouncyCastle does not swallow).</summary>
    public void SetDeadline(TimeSpan fromNow) =>
        Interlocked.Exchange(ref _deadlineTicks, Environment.TickCount64 + (long)fromNow.TotalMilliseconds);

    public void ClearDeadline() => Interlocked.Exchange(ref _deadlineTicks, long.MaxValue);

    public bool TryEnqueue(ReadOnlySpan<byte> datagram)
    {
        if (IsClosed || Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Increment(ref _dropped);
            return false;
        }
        _queue.Enqueue(datagram.ToArray());
        _available.Release();
        return true;
    }

    public int GetReceiveLimit() => 1500;

    public int GetSendLimit() => Mtu;

    public int Receive(byte[] buf, int off, int len, int waitMillis)
    {
        var wait = RetransmitCapMillis > 0 ? Math.Min(waitMillis, RetransmitCapMillis) : waitMillis;
        var remaining = Interlocked.Read(ref _deadlineTicks) - Environment.TickCount64;
        if (remaining <= 0)
        {
            throw new TimeoutException("DTLS handshake deadline passed");
        }
        wait = (int)Math.Min(wait, remaining);
        bool signalled;
        try
        {
            signalled = _available.Wait(Math.Max(wait, 0), _closed.Token);
        }
        catch (OperationCanceledException)
        {
            throw new ObjectDisposedException(nameof(DtlsDatagramQueue));
        }
        if (!signalled || !_queue.TryDequeue(out var datagram))
        {
            return -1;
        }
        Interlocked.Decrement(ref _count);
        var n = Math.Min(len, datagram.Length);
        Buffer.BlockCopy(datagram, 0, buf, off, n);
        return n;
    }

    public void Send(byte[] buf, int off, int len)
    {
        if (!IsClosed)
        {
            _send(buf, off, len);
        }
    }

    public void Close() => _closed.Cancel();

    public void Dispose()
    {
        _closed.Cancel();
        _closed.Dispose();
        _available.Dispose();
    }
}
