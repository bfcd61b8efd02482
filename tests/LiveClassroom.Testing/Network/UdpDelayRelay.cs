using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LiveClassroom.Testing.Network;

/// <summary>
/// Added delay for link emulation (this kernel has no netem): a UDP relay that holds every datagram for a fixed time
/// each way. Clients send to <see cref="EndPoint"/>; each client gets its own upstream socket to the target, so the
/// target answers through the relay. The queue is bounded (<paramref name="queueLimit"/> datagrams in flight, more are
/// dropped and counted), as a real link's buffer is. One sender thread releases datagrams in arrival order (all wait
/// equally long; after Delay shrinks, newer ones wait behind older ones), so order is kept. States: running → disposed (sockets closed, threads ended).
/// </summary>
public sealed class UdpDelayRelay : IDisposable
{
    private readonly Socket _front;
    private readonly IPEndPoint _target;
    private long _delayTicks;
    private readonly int _queueLimit;
    private readonly ConcurrentQueue<Held> _queue = new();
    private readonly ConcurrentDictionary<IPEndPoint, Socket> _upstream = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _sender;
    private int _queued;
    private long _forwarded;
    private long _dropped;

    private readonly record struct Held(long DueTicks, Socket Via, EndPoint To, byte[] Data);

    private UdpDelayRelay(Socket front, IPEndPoint target, TimeSpan delayEachWay, int queueLimit)
    {
        _front = front;
        _target = target;
        _delayTicks = (long)(delayEachWay.TotalSeconds * Stopwatch.Frequency);
        _queueLimit = queueLimit;
        _sender = new Thread(SendLoop) { IsBackground = true, Name = "udp-delay-relay" };
    }

    /// <summary>Where clients send (the relay's listening address and port).</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_front.LocalEndPoint!;

    /// <summary>The delay each way; a change applies to datagrams that arrive from then on.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromSeconds((double)Interlocked.Read(ref _delayTicks) / Stopwatch.Frequency);
        set => Interlocked.Exchange(ref _delayTicks, (long)(value.TotalSeconds * Stopwatch.Frequency));
    }

    public long Forwarded => Interlocked.Read(ref _forwarded);

    public long Dropped => Interlocked.Read(ref _dropped);

    public static UdpDelayRelay Start(IPAddress listen, IPEndPoint target, TimeSpan delayEachWay, int queueLimit = 4096)
    {
        var front = new Socket(listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
        front.Bind(new IPEndPoint(listen, 0));
        var relay = new UdpDelayRelay(front, target, delayEachWay, queueLimit);
        relay._sender.Start();
        _ = relay.ReceiveAsync(front, upstreamOf: null);
        return relay;
    }

    // From a client (upstreamOf null): forward to the target through that client's socket. From the target: back to the client.
    private async Task ReceiveAsync(Socket socket, IPEndPoint? upstreamOf)
    {
        var buffer = new byte[65536];
        var any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try
            {
                r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested || ex is ObjectDisposedException)
                {
                    return;
                }
                continue; // ICMP unreachable from a gone peer: keep relaying
            }
            var data = buffer.AsSpan(0, r.ReceivedBytes).ToArray();
            if (upstreamOf is null)
            {
                var client = (IPEndPoint)r.RemoteEndPoint;
                var via = _upstream.GetOrAdd(client, c =>
                {
                    var s = new Socket(_target.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
                    s.Bind(new IPEndPoint(IPAddress.Any, 0));
                    _ = ReceiveAsync(s, c);
                    return s;
                });
                Hold(via, _target, data);
            }
            else
            {
                Hold(_front, upstreamOf, data);
            }
        }
    }

    private void Hold(Socket via, EndPoint to, byte[] data)
    {
        if (Interlocked.Increment(ref _queued) > _queueLimit)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _dropped);
            return;
        }
        _queue.Enqueue(new Held(Stopwatch.GetTimestamp() + Interlocked.Read(ref _delayTicks), via, to, data));
    }

    private void SendLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (!_queue.TryPeek(out var next) || next.DueTicks > Stopwatch.GetTimestamp())
            {
                Thread.Sleep(1);
                continue;
            }
            _queue.TryDequeue(out _);
            Interlocked.Decrement(ref _queued);
            try
            {
                next.Via.SendTo(next.Data, next.To);
                Interlocked.Increment(ref _forwarded);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _sender.Join();
        _front.Dispose();
        foreach (var s in _upstream.Values)
        {
            s.Dispose();
        }
        _stop.Dispose();
    }
}
