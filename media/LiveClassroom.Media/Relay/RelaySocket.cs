using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LiveClassroom.Media.Relay;

/// <summary>
/// The node's relay socket: one UDP socket for every link, one receive thread (opens datagrams and hands them to their
/// link), one timer thread (links' heartbeats and track tables). Kept apart from the browsers' media socket so the
/// relay has its own port (firewalled to the cluster's nodes) and never competes with browser demux.
/// Open → Disposed. A link's messages, ticks and disposal are serialized by the link's own lock.
/// </summary>
internal sealed class RelaySocket : IDisposable
{
    private readonly Socket _socket;
    private readonly ConcurrentDictionary<uint, RelayLink> _links = new();
    private readonly Thread _receiver;
    private readonly Thread _timer;
    private readonly CancellationTokenSource _stopping = new();
    private long _dropped;

    public RelaySocket(IPAddress bindAddress, int port)
    {
        _socket = new Socket(bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.SendBufferSize = 4 * 1024 * 1024;
        _socket.Bind(new IPEndPoint(bindAddress, port));
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "media-relay-receive" };
        _timer = new Thread(TimerLoop) { IsBackground = true, Name = "media-relay-timer" };
        _receiver.Start();
        _timer.Start();
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Datagrams that were not a known link's, failed authentication or were replays.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public ICollection<RelayLink> Links => _links.Values;

    public bool TryGet(uint linkId, out RelayLink link) => _links.TryGetValue(linkId, out link!);

    public void Add(uint linkId, RelayLink link)
    {
        if (!_links.TryAdd(linkId, link))
        {
            link.Dispose();
            throw new InvalidOperationException($"relay link {linkId} is already open on this node");
        }
    }

    public bool Remove(uint linkId)
    {
        if (!_links.TryRemove(linkId, out var link))
        {
            return false;
        }
        lock (link)
        {
            link.Dispose();
        }
        return true;
    }

    public bool Send(ReadOnlySpan<byte> datagram, SocketAddress to)
    {
        try
        {
            return _socket.SendTo(datagram, SocketFlags.None, to) == datagram.Length;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private void ReceiveLoop()
    {
        var buffer = new byte[2048];
        var from = new SocketAddress(_socket.AddressFamily);
        while (!_stopping.IsCancellationRequested)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException)
            {
                // ICMP port unreachable from a node that went away (Windows/Linux report it on the next receive).
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            var datagram = buffer.AsSpan(0, length);
            if (!RelayCipher.TryReadLinkId(datagram, out var linkId, out var type) || !_links.TryGetValue(linkId, out var link))
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }
            lock (link)
            {
                if (!_links.ContainsKey(linkId) || !link.Cipher.TryOpen(datagram, out var bodyLength))
                {
                    Interlocked.Increment(ref _dropped);
                    continue;
                }
                try
                {
                    link.OnMessage(type, datagram.Slice(RelayCipher.HeaderLength, bodyLength));
                }
                catch (ObjectDisposedException)
                {
                    // The room closed under the link; the link is closed by whoever closed the room.
                    Interlocked.Increment(ref _dropped);
                }
            }
        }
    }

    /// <summary>A link whose other node has sent nothing for this long is closed (its node died or dropped the link).</summary>
    public static readonly TimeSpan SilenceLimit = TimeSpan.FromSeconds(10);

    private void TimerLoop()
    {
        while (!_stopping.Token.WaitHandle.WaitOne(250))
        {
            var now = Environment.TickCount64;
            foreach (var (id, link) in _links)
            {
                if (now - link.LastHeardMillis > SilenceLimit.TotalMilliseconds)
                {
                    // An edge whose origin went away drops its stand-ins; an origin stops feeding a dead edge.
                    Remove(id);
                    continue;
                }
                lock (link)
                {
                    if (!_links.ContainsKey(id))
                    {
                        continue;
                    }
                    try
                    {
                        link.Tick();
                    }
                    catch (ObjectDisposedException)
                    {
                        Interlocked.Increment(ref _dropped);
                    }
                }
            }
        }
    }

    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        _stopping.Cancel();
        foreach (var id in _links.Keys)
        {
            Remove(id);
        }
        _socket.Dispose();
        _receiver.Join(TimeSpan.FromSeconds(2));
        _timer.Join(TimeSpan.FromSeconds(2));
        _stopping.Dispose();
    }
}
