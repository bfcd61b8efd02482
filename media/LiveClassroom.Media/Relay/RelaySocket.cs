using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LiveClassroom.Media.Relay;

/// <summary>
/// The node's relay socket: one UDP socket for every link, one receive thread (opens datagrams and hands them to their
/// link), one timer thread (links' heartbeats and track tables). Kept apart from the browsers' media socket so the
/// relay has its own port (firewalled to the cluster's nodes) and never competes with browser demux.
/// Open → Disposed. A link: Live ⇄ Suspended (silent past <see cref="SilenceLimit"/>; heard again) → Closed (by its
/// opener, or silent past <see cref="DormantLimit"/>). A link's messages, ticks and disposal are serialized by its own lock.
/// </summary>
internal sealed class RelaySocket : IDisposable
{
    private readonly Socket _socket;
    private readonly ConcurrentDictionary<uint, RelayLink> _links = new();
    private readonly Thread _receiver;
    private readonly Thread _timer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _time;
    private long _dropped;
    private long _lastRoundMillis;
    private long _resumedAtMillis = long.MinValue;
    private long _rounds;
    private long _stalls;

    public RelaySocket(IPAddress bindAddress, int port, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _lastRoundMillis = NowMillis;
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

    /// <summary>This node's relay clock, in milliseconds (monotonic).</summary>
    public long NowMillis => _time.GetTimestamp() / (_time.TimestampFrequency / 1000);

    /// <summary>Rounds of the timer thread so far (tests wait for one to have seen a clock they moved).</summary>
    public long TimerRounds => Interlocked.Read(ref _rounds);

    /// <summary>Times this node found its own timer thread late by more than <see cref="StallLimit"/> (it did not run).</summary>
    public long Stalls => Interlocked.Read(ref _stalls);

    /// <summary>
    /// How long the other end of <paramref name="link"/> has been silent as far as this node can tell: time during which
    /// this node did not run itself (a GC pause, a starved VM: its timer thread late past <see cref="StallLimit"/>) is
    /// not counted, since the other end's datagrams may be waiting in the socket's buffer unread.
    /// </summary>
    public long SilenceMillis(RelayLink link)
    {
        var now = NowMillis;
        if (now - Volatile.Read(ref _lastRoundMillis) > StallLimit.TotalMilliseconds)
        {
            // Stalled, and the timer has not run since: this node cannot tell yet.
            return 0;
        }
        return Math.Max(0, now - Math.Max(link.LastHeardMillis, Volatile.Read(ref _resumedAtMillis)));
    }

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
                    link.LastHeardMillis = NowMillis;
                    if (link.Suspended)
                    {
                        // The other node is back (it stalled, or the path between the nodes blinked): the link goes on.
                        link.Resume();
                    }
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

    /// <summary>
    /// A link whose other node has sent nothing for this long is suspended: an edge's end drops its stand-ins (their
    /// slots keep their wishes, SfuRoom.Rebind.cs), a feeding end stops sending media. It keeps its keepalive (heartbeat or
    /// track table) and goes on as soon as the other node is heard again, so a stall of either node (a GC pause, a
    /// starved VM) or a blip of the path between them costs no new link: the other node never finds this one silent.
    /// </summary>
    public static readonly TimeSpan SilenceLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A suspended link silent this long is closed: its node is dead (the cluster has declared it so long before, and
    /// the class's new origin feeds this node over a new link) or it dropped the link.
    /// </summary>
    public static readonly TimeSpan DormantLimit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The timer thread late by more than this: this node itself did not run (its silence measures restart). Well above
    /// the class grain's 2 s edge-silence rule, so a loaded node's ordinary scheduling delays never hide a dead edge from
    /// it; well below <see cref="SilenceLimit"/>, so no stall of its own suspends this node's links.
    /// </summary>
    public static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(5);

    private void TimerLoop()
    {
        while (!_stopping.Token.WaitHandle.WaitOne(250))
        {
            var now = NowMillis;
            if (now - _lastRoundMillis > StallLimit.TotalMilliseconds)
            {
                // Nothing of this node ran meanwhile, its receive thread neither: the other ends' datagrams of that time
                // are still in the socket's buffer, and their silence is not theirs.
                Volatile.Write(ref _resumedAtMillis, now);
                Interlocked.Increment(ref _stalls);
            }
            Volatile.Write(ref _lastRoundMillis, now);
            foreach (var (id, link) in _links)
            {
                var silence = SilenceMillis(link);
                if (link.Suspended && silence > DormantLimit.TotalMilliseconds)
                {
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
                        if (!link.Suspended && silence > SilenceLimit.TotalMilliseconds)
                        {
                            link.Suspend();
                        }
                        link.Tick();
                    }
                    catch (ObjectDisposedException)
                    {
                        Interlocked.Increment(ref _dropped);
                    }
                }
            }
            Interlocked.Increment(ref _rounds);
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
