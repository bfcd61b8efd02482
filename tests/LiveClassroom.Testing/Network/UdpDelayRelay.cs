using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LiveClassroom.Testing.Network;

/// <summary>
/// Added delay for link emulation (this kernel has no netem): a UDP relay that holds every datagram for a fixed time
/// each way and must add nothing else — no loss, no jitter of its own — or the figures measured through it describe the
/// relay rather than the product. Clients send to <see cref="EndPoint"/>; each client gets its own upstream socket to the
/// target, so the target answers through the relay.
/// <para>Every socket has a dedicated receive thread (a busy thread pool cannot hold datagrams back) and 4 MB buffers;
/// datagrams wait in one timer queue ordered by due time (arrival + <see cref="Delay"/>, ties in arrival order), which a
/// dedicated sender thread releases when due, sleeping exactly until the earliest one (never a polling tick). With a
/// constant delay that is arrival order; after <see cref="Delay"/> shrinks, newer datagrams overtake older ones, as on a
/// path that got shorter. The queue is bounded (<c>queueLimit</c> datagrams in flight, as a real link's buffer is); what
/// the relay drops, and how late it released anything, is counted (<see cref="Summary"/>).</para>
/// States: running → disposed (sockets closed, threads ended).
/// </summary>
public sealed class UdpDelayRelay : IDisposable
{
    private const int SocketBufferBytes = 4 << 20;
    private static readonly long LateTicks = Stopwatch.Frequency / 200; // 5 ms

    private readonly Socket _front;
    private readonly IPEndPoint _target;
    private readonly int _queueLimit;
    private readonly object _gate = new();
    private readonly PriorityQueue<Held, (long Due, long Order)> _queue = new();
    private readonly Dictionary<IPEndPoint, Socket> _upstream = [];
    private readonly List<Thread> _threads = [];
    private readonly Thread _sender;
    private long _delayTicks;
    private long _arrivals;
    private volatile bool _stopping;
    private long _received;
    private long _forwarded;
    private long _droppedQueueFull;
    private long _droppedSendFailed;
    private long _late;
    private long _maxLateTicks;

    private readonly record struct Held(Socket Via, EndPoint To, byte[] Data, long DueTicks);

    private UdpDelayRelay(Socket front, IPEndPoint target, TimeSpan delayEachWay, int queueLimit)
    {
        _front = front;
        _target = target;
        _delayTicks = ToStopwatchTicks(delayEachWay);
        _queueLimit = queueLimit;
        _sender = new Thread(SendLoop) { IsBackground = true, Name = "udp-delay-relay send" };
    }

    /// <summary>Where clients send (the relay's listening address and port).</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_front.LocalEndPoint!;

    /// <summary>The delay each way; a change applies to datagrams that arrive from then on.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromSeconds((double)Interlocked.Read(ref _delayTicks) / Stopwatch.Frequency);
        set => Interlocked.Exchange(ref _delayTicks, ToStopwatchTicks(value));
    }

    /// <summary>Datagrams received from either side.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Datagrams sent on after their delay.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Datagrams the relay lost: its queue was full, or the send failed.</summary>
    public long Dropped => DroppedQueueFull + DroppedSendFailed;

    public long DroppedQueueFull => Interlocked.Read(ref _droppedQueueFull);

    public long DroppedSendFailed => Interlocked.Read(ref _droppedSendFailed);

    /// <summary>Datagrams released more than 5 ms after they were due.</summary>
    public long Late => Interlocked.Read(ref _late);

    /// <summary>The latest any datagram was released after it was due.</summary>
    public TimeSpan MaxLate => TimeSpan.FromSeconds((double)Interlocked.Read(ref _maxLateTicks) / Stopwatch.Frequency);

    /// <summary>Datagrams held right now.</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>The counts in one line, for a benchmark's output.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"{Received} datagrams received, {Forwarded} forwarded, {DroppedQueueFull} dropped (queue full), {DroppedSendFailed} dropped (send failed), "
        + $"{Late} released > 5 ms late, latest {MaxLate.TotalMilliseconds:0.0} ms late");

    public static UdpDelayRelay Start(IPAddress listen, IPEndPoint target, TimeSpan delayEachWay, int queueLimit = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queueLimit);
        var front = NewSocket(listen.AddressFamily);
        front.Bind(new IPEndPoint(listen, 0));
        var relay = new UdpDelayRelay(front, target, delayEachWay, queueLimit);
        relay._sender.Start();
        relay.StartReceiving(front, client: null);
        return relay;
    }

    private static Socket NewSocket(AddressFamily family) =>
        // The receive timeout only lets a receive thread see Dispose; a timed-out receive is simply repeated.
        new(family, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = SocketBufferBytes, SendBufferSize = SocketBufferBytes, ReceiveTimeout = 250 };

    private static long ToStopwatchTicks(TimeSpan t) => (long)(t.TotalSeconds * Stopwatch.Frequency);

    private void StartReceiving(Socket socket, IPEndPoint? client)
    {
        var thread = new Thread(() => ReceiveLoop(socket, client)) { IsBackground = true, Name = "udp-delay-relay receive" };
        lock (_threads)
        {
            _threads.Add(thread);
        }
        thread.Start();
    }

    // The front socket (client null): from a client, on to the target through that client's own upstream socket.
    // An upstream socket: from the target, back to its client through the front socket.
    private void ReceiveLoop(Socket socket, IPEndPoint? client)
    {
        var buffer = new byte[65536];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_stopping)
        {
            int length;
            try
            {
                length = socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException) when (!_stopping)
            {
                continue; // the receive timeout, or an ICMP error from a peer that went away: keep relaying
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return; // disposed
            }
            var arrived = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _received);
            var data = buffer.AsSpan(0, length).ToArray();
            if (client is null)
            {
                Hold(UpstreamOf((IPEndPoint)from), _target, data, arrived);
            }
            else
            {
                Hold(_front, client, data, arrived);
            }
        }
    }

    private Socket UpstreamOf(IPEndPoint client)
    {
        lock (_upstream)
        {
            if (_upstream.TryGetValue(client, out var socket))
            {
                return socket;
            }
            var key = new IPEndPoint(client.Address, client.Port);
            socket = NewSocket(_target.AddressFamily);
            socket.Bind(new IPEndPoint(_target.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            _upstream[key] = socket;
            StartReceiving(socket, key);
            return socket;
        }
    }

    private void Hold(Socket via, EndPoint to, byte[] data, long arrived)
    {
        var due = arrived + Interlocked.Read(ref _delayTicks);
        lock (_gate)
        {
            if (_queue.Count >= _queueLimit)
            {
                Interlocked.Increment(ref _droppedQueueFull);
                return;
            }
            _queue.Enqueue(new Held(via, to, data, due), (due, _arrivals++));
            // The sender sleeps until the earliest due time; a new earliest one must wake it.
            if (_queue.Peek().DueTicks == due)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    private void SendLoop()
    {
        while (TakeDue() is { } next)
        {
            var late = Stopwatch.GetTimestamp() - next.DueTicks;
            try
            {
                next.Via.SendTo(next.Data, next.To);
                Interlocked.Increment(ref _forwarded);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                Interlocked.Increment(ref _droppedSendFailed);
            }
            if (late > LateTicks)
            {
                Interlocked.Increment(ref _late);
            }
            if (late > Interlocked.Read(ref _maxLateTicks))
            {
                Interlocked.Exchange(ref _maxLateTicks, late);
            }
        }
    }

    /// <summary>Blocks until the earliest held datagram is due and takes it; null once disposed.</summary>
    private Held? TakeDue()
    {
        lock (_gate)
        {
            while (!_stopping)
            {
                if (!_queue.TryPeek(out var head, out _))
                {
                    Monitor.Wait(_gate);
                    continue;
                }
                var wait = head.DueTicks - Stopwatch.GetTimestamp();
                if (wait <= 0)
                {
                    return _queue.Dequeue();
                }
                // Whole milliseconds, rounded up: never early, at most a millisecond late, and no spinning on a shared machine.
                Monitor.Wait(_gate, (int)Math.Ceiling(wait * 1000.0 / Stopwatch.Frequency));
            }
            return null;
        }
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
        _sender.Join();
        _front.Dispose();
        lock (_upstream)
        {
            foreach (var s in _upstream.Values)
            {
                s.Dispose();
            }
        }
        Thread[] receivers;
        lock (_threads)
        {
            receivers = [.. _threads];
        }
        foreach (var t in receivers)
        {
            t.Join();
        }
    }
}
