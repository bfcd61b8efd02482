// RFC 6347 §4.2.4: timeout and retransmission of handshake flights, done below BouncyCastle.
using System.Collections.Concurrent;
using System.Buffers.Binary;
using Org.BouncyCastle.Crypto.Tls;

namespace LiveClassroom.Media.Dtls;

/// <summary>
/// BouncyCastle's view of the shared UDP socket for one peer: the packet loop pushes datagrams in (never blocking,
/// bounded), the handshake thread pulls them out. BouncyCastle 1.8.10 retransmits after 1 s doubling to 60 s, which
/// stalls handshakes under loss; so this transport keeps the last flight it sent (everything sent since the last
/// datagram received) and replays it verbatim after a short timer (<see cref="InitialRetransmitMillis"/>, doubling to
/// 1 s) and at once when the peer repeats a handshake fragment we already have (it evidently lost our flight).
/// </summary>
internal sealed class DtlsDatagramQueue : DatagramTransport, IDisposable
{
    public const int Capacity = 64;
    private const int Mtu = 1200;
    private const int MaxRetransmitMillis = 1000;

    private readonly ConcurrentQueue<byte[]> _queue = new();
    private readonly SemaphoreSlim _available = new(0, int.MaxValue);
    private readonly Action<byte[], int, int> _send;
    private readonly CancellationTokenSource _closed = new();
    private readonly List<byte[]> _lastFlight = [];
    private readonly HashSet<long> _seenFragments = [];
    private readonly object _flightLock = new();
    private bool _receivedSinceSend = true;
    private long _lastFlightTicks;
    private long _lastReplayTicks;
    private int _retransmitMillis;
    private long _deadlineTicks = long.MaxValue;
    private int _count;
    private long _dropped;
    private long _sent;
    private long _received;
    private long _replayed;

    public DtlsDatagramQueue(Action<byte[], int, int> send, int initialRetransmitMillis = 250)
    {
        _send = send;
        InitialRetransmitMillis = initialRetransmitMillis;
        _retransmitMillis = initialRetransmitMillis;
    }

    public int InitialRetransmitMillis { get; }

    /// <summary>While true the replay timer runs; after the handshake only duplicate-triggered replays remain.</summary>
    public bool TimerActive { get; set; } = true;

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Sent => Interlocked.Read(ref _sent);

    public long Received => Interlocked.Read(ref _received);

    public long Replayed => Interlocked.Read(ref _replayed);

    public bool IsClosed => _closed.IsCancellationRequested;

    /// <summary>After this instant every receive throws <see cref="TimeoutException"/> (which BouncyCastle does not swallow).</summary>
    public void SetDeadline(TimeSpan fromNow) =>
        Interlocked.Exchange(ref _deadlineTicks, Environment.TickCount64 + (long)fromNow.TotalMilliseconds);

    public void ClearDeadline() => Interlocked.Exchange(ref _deadlineTicks, long.MaxValue);

    /// <summary>Called from the packet loop: copies and queues; drops (and counts) when full or closed.</summary>
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
        var until = Environment.TickCount64 + Math.Max(0, waitMillis);
        while (true)
        {
            var now = Environment.TickCount64;
            var deadline = Interlocked.Read(ref _deadlineTicks);
            if (now >= deadline)
            {
                throw new TimeoutException("DTLS handshake deadline passed");
            }
            var slice = Math.Min(until, deadline) - now;
            var replayAt = NextReplayAt();
            if (replayAt is { } at)
            {
                slice = Math.Min(slice, Math.Max(0, at - now));
            }
            bool signalled;
            try
            {
                signalled = _available.Wait((int)Math.Max(0, slice), _closed.Token);
            }
            catch (OperationCanceledException)
            {
                throw new ObjectDisposedException(nameof(DtlsDatagramQueue));
            }
            if (signalled && _queue.TryDequeue(out var datagram))
            {
                Interlocked.Decrement(ref _count);
                Interlocked.Increment(ref _received);
                OnReceived(datagram);
                var n = Math.Min(len, datagram.Length);
                Buffer.BlockCopy(datagram, 0, buf, off, n);
                return n;
            }
            if (replayAt is { } due && Environment.TickCount64 >= due)
            {
                Replay(backOff: true);
            }
            if (Environment.TickCount64 >= until)
            {
                return -1;
            }
        }
    }

    public void Send(byte[] buf, int off, int len)
    {
        if (IsClosed)
        {
            return;
        }
        lock (_flightLock)
        {
            if (_receivedSinceSend)
            {
                _lastFlight.Clear();
                _receivedSinceSend = false;
                _retransmitMillis = InitialRetransmitMillis;
            }
            _lastFlight.Add(buf.AsSpan(off, len).ToArray());
            _lastFlightTicks = Environment.TickCount64;
        }
        Interlocked.Increment(ref _sent);
        _send(buf, off, len);
    }

    private long? NextReplayAt()
    {
        lock (_flightLock)
        {
            return TimerActive && _lastFlight.Count > 0 ? _lastFlightTicks + _retransmitMillis : null;
        }
    }

    // A handshake fragment (epoch 0, so readable) seen twice means the peer timed out waiting for our flight.
    private void OnReceived(byte[] datagram)
    {
        var repeated = false;
        ReadOnlySpan<byte> rest = datagram;
        while (DtlsRecordHeader.TryParse(rest, out var header))
        {
            var body = rest.Slice(DtlsRecordHeader.Size, header.Length);
            if (header.ContentType == DtlsRecordHeader.Handshake && header.Epoch == 0 && body.Length >= 12)
            {
                var messageSeq = BinaryPrimitives.ReadUInt16BigEndian(body[4..]);
                var fragmentOffset = (body[6] << 16) | (body[7] << 8) | body[8];
                var key = ((long)body[0] << 48) | ((long)messageSeq << 24) | (uint)fragmentOffset;
                lock (_flightLock)
                {
                    repeated |= !_seenFragments.Add(key);
                }
            }
            rest = rest[(DtlsRecordHeader.Size + header.Length)..];
        }
        lock (_flightLock)
        {
            _receivedSinceSend = true;
        }
        if (repeated)
        {
            Replay(backOff: false);
        }
    }

    private void Replay(bool backOff)
    {
        byte[][] flight;
        lock (_flightLock)
        {
            var now = Environment.TickCount64;
            // Both sides replay on duplicates; without a floor they would answer each other's replays forever.
            if (_lastFlight.Count == 0 || (!backOff && now - _lastReplayTicks < InitialRetransmitMillis / 2))
            {
                return;
            }
            _lastReplayTicks = now;
            flight = [.. _lastFlight];
            _lastFlightTicks = Environment.TickCount64;
            if (backOff)
            {
                _retransmitMillis = Math.Min(_retransmitMillis * 2, MaxRetransmitMillis);
            }
        }
        Interlocked.Increment(ref _replayed);
        foreach (var datagram in flight)
        {
            if (IsClosed)
            {
                return;
            }
            Interlocked.Increment(ref _sent);
            _send(datagram, 0, datagram.Length);
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
