using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LiveClassroom.Media.Buffers;
using LiveClassroom.Media.Stun;

namespace LiveClassroom.Media.Transport;

// RFC 7983 §7 demultiplexing on one UDP port shared by all peers (RFC 8445 §5.1.1.1 host candidate).
/// <summary>
/// One UDP port for every peer (bound to a wildcard, plus one binding per advertised local address so replies leave from
/// the address a peer asked: UdpTransport.LocalAddresses.cs). Each binding is <see cref="UdpTransportOptions.Workers"/>
/// sockets sharing the port with SO_REUSEPORT (UdpTransport.Workers.cs): the kernel hashes each remote 4-tuple to one
/// socket, so one peer's datagrams always reach the same worker, in order. A dedicated thread per socket receives into
/// one pooled buffer with a reused SocketAddress (no allocation per packet), classifies each datagram and hands it to
/// the peer's <see cref="IPacketSink"/>: by remote address once ICE added a route, otherwise (STUN only) by the local
/// ufrag in USERNAME. Everything else is counted per reason and dropped. Optionally also accepts ICE-TCP
/// (see UdpTransport.Tcp.cs). A sink is called one packet at a time under its own lock (a peer whose packets arrive
/// on two workers, say STUN from a second candidate, or TCP and UDP, is still serialised); different peers run in parallel.
/// States: created → started (receiving) → disposed.
/// </summary>
internal sealed partial class UdpTransport : IMediaTransport, IDisposable
{
    private readonly UdpTransportOptions _options;
    private readonly Socket _socket;
    // Routes of the main socket; each local-address socket has its own table (UdpTransport.LocalAddresses.cs).
    private readonly ConcurrentDictionary<SocketAddress, Route> _routes = new();
    private readonly ConcurrentDictionary<string, IPacketSink> _ufrags = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IPacketSink>.AlternateLookup<ReadOnlySpan<char>> _ufragLookup;
    private readonly EndPoint _template;
    private Thread? _thread;
    private readonly List<Thread> _threads = [];

    // The kernel ids of the receive threads (the SFU's packet threads: receive, decrypt, route, forward), for the
    // packet-thread CPU meter.
    private readonly ConcurrentDictionary<int, byte> _threadIds = new();
    private volatile bool _stopping;

    public UdpTransport(UdpTransportOptions options)
    {
        _options = options;
        BufferPool = new PacketBufferPool(options.BufferPoolCapacity);
        Workers = OperatingSystem.IsLinux() ? Math.Max(1, options.Workers) : 1;
        Counters = new TransportCounters(Workers);
        _socket = new Socket(options.BindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (options.BindAddress.AddressFamily == AddressFamily.InterNetworkV6 && options.BindAddress.Equals(IPAddress.IPv6Any))
        {
            _socket.DualMode = true;
        }
        _template = new IPEndPoint(options.BindAddress.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        _ufragLookup = _ufrags.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public PacketBufferPool BufferPool { get; }

    public TransportCounters Counters { get; }

    /// <summary>The bound address and port (after <see cref="Start"/>).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_socket.LocalEndPoint ?? throw new InvalidOperationException("not started"));

    /// <summary>Addresses for ICE candidates, with the bound port.</summary>
    public IReadOnlyList<IPEndPoint> AdvertisedEndPoints
    {
        get
        {
            var port = LocalEndPoint.Port;
            var list = new List<IPEndPoint>();
            if (_options.AdvertisedAddresses.Count == 0)
            {
                list.Add(new IPEndPoint(_options.BindAddress, port));
            }
            foreach (var address in _options.AdvertisedAddresses)
            {
                list.Add(new IPEndPoint(address, port));
            }
            return list;
        }
    }

    public int RouteCount
    {
        get
        {
            var count = _routes.Count;
            foreach (var routes in _localRoutes.Values)
            {
                count += routes.Count;
            }
            return count;
        }
    }

    public void Start()
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("already started");
        }
        _socket.ReceiveBufferSize = _options.SocketReceiveBufferBytes;
        _socket.SendBufferSize = _options.SocketSendBufferBytes;
        BindGroup(_socket, _mainExtras, new IPEndPoint(_options.BindAddress, _options.Port));
        BindLocalAddresses(LocalEndPoint.Port);
        // Kernel thread names keep 15 characters: "media-udp-rx-<worker>" for every socket (the benchmark sums their CPU).
        _thread = StartReceiving(_socket, _routes, null, 0);
        for (var i = 0; i < _mainExtras.Count; i++)
        {
            StartReceiving(_mainExtras[i], _routes, null, i + 1);
        }
        foreach (var (socket, routes) in _localRoutes)
        {
            StartReceiving(socket, routes, socket, 0);
            var extras = _localExtras[socket];
            for (var i = 0; i < extras.Count; i++)
            {
                StartReceiving(extras[i], routes, socket, i + 1);
            }
        }
        StartTcp();
    }

    public bool Send(ReadOnlySpan<byte> packet, RemoteAddress remote)
    {
        if (remote.Connection is { } connection)
        {
            if (connection.TrySend(packet))
            {
                Counters.Sent(packet.Length);
                return true;
            }
            Counters.SendFailed();
            return false;
        }
        try
        {
            var sent = SendSocketFor(remote).SendTo(packet, SocketFlags.None, remote.SocketAddress);
            Counters.Sent(sent);
            return sent == packet.Length;
        }
        catch (SocketException)
        {
            Counters.SendFailed();
            return false;
        }
        catch (ObjectDisposedException)
        {
            Counters.SendFailed();
            return false;
        }
    }

    public bool TryRegisterUfrag(string localUfrag, IPacketSink sink) => _ufrags.TryAdd(localUfrag, sink);

    public void UnregisterUfrag(string localUfrag) => _ufrags.TryRemove(localUfrag, out _);

    public void AddRoute(RemoteAddress remote, IPacketSink sink)
    {
        if (remote.Connection is { } connection)
        {
            connection.Sink = sink;
            return;
        }
        RoutesOf(remote)[remote.SocketAddress] = new Route(remote, sink);
    }

    public void RemoveRoute(RemoteAddress remote)
    {
        if (remote.Connection is { } connection)
        {
            connection.Sink = null;
            return;
        }
        RoutesOf(remote).TryRemove(remote.SocketAddress, out _);
    }

    private ConcurrentDictionary<SocketAddress, Route> RoutesOf(RemoteAddress remote) =>
        remote.LocalSocket is { } socket && _localRoutes.TryGetValue(socket, out var routes) ? routes : _routes;

    public void RemoveSink(IPacketSink sink)
    {
        RemoveRoutesOf(_routes, sink);
        foreach (var routes in _localRoutes.Values)
        {
            RemoveRoutesOf(routes, sink);
        }
        foreach (var pair in _ufrags)
        {
            if (ReferenceEquals(pair.Value, sink))
            {
                _ufrags.TryRemove(pair.Key, out _);
            }
        }
        CloseConnectionsOf(sink);
    }

    private static void RemoveRoutesOf(ConcurrentDictionary<SocketAddress, Route> routes, IPacketSink sink)
    {
        foreach (var pair in routes)
        {
            if (ReferenceEquals(pair.Value.Sink, sink))
            {
                routes.TryRemove(pair.Key, out _);
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _socket.Dispose();
        foreach (var socket in _mainExtras)
        {
            socket.Dispose();
        }
        foreach (var socket in _localRoutes.Keys)
        {
            socket.Dispose();
            foreach (var extra in _localExtras[socket])
            {
                extra.Dispose();
            }
        }
        StopTcp();
        foreach (var thread in _threads)
        {
            if (thread != Thread.CurrentThread)
            {
                thread.Join(TimeSpan.FromSeconds(5));
            }
        }
    }

    /// <param name="local">The socket that stands for this binding in addresses (the first of a local address's group), or null for the wildcard.</param>
    private Thread StartReceiving(Socket socket, ConcurrentDictionary<SocketAddress, Route> routes, Socket? local, int worker)
    {
        if (!BufferPool.TryRent(out var first))
        {
            throw new InvalidOperationException("buffer pool empty at start");
        }
        // The first buffer comes from the pool as before; the rest of a batch are the thread's own, made once (a fixed
        // cost per receive thread, not taken from what the pool holds for queued packets).
        var buffers = new byte[Math.Max(1, _options.ReceiveBatch)][];
        buffers[0] = first;
        for (var i = 1; i < buffers.Length; i++)
        {
            buffers[i] = new byte[BufferPool.BufferSize];
        }
        var batch = new DatagramBatch(buffers, socket.AddressFamily);
        var thread = new Thread(() => ReceiveLoop(socket, routes, local, worker, batch))
        {
            IsBackground = true,
            Name = "media-udp-rx-" + worker.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Priority = ThreadPriority.AboveNormal,
        };
        _threads.Add(thread);
        thread.Start();
        return thread;
    }

    /// <summary>CPU time the receive threads have used so far (Linux; zero elsewhere).</summary>
    public TimeSpan PacketThreadCpu => Diagnostics.ThreadCpu.Of(_threadIds.Keys);

    /// <summary>Kernel thread ids of the receive threads (benchmarks read each one's CPU).</summary>
    public ICollection<int> PacketThreadIds => _threadIds.Keys;

    private void ReceiveLoop(Socket socket, ConcurrentDictionary<SocketAddress, Route> routes, Socket? local, int worker, DatagramBatch batch)
    {
        if (Diagnostics.ThreadCpu.CurrentThreadId() is { } tid)
        {
            _threadIds[tid] = 0;
        }
        UseSendSocket(worker);
        try
        {
            while (!_stopping)
            {
                if (ReceiveBatch(socket, worker, batch))
                {
                    DispatchBatch(batch, local, routes);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed while blocked in ReceiveFrom: the normal way to stop.
        }
        catch (SocketException) when (_stopping)
        {
        }
        finally
        {
            BufferPool.Return(batch.BufferAt(0));
        }
    }

    /// <summary>Waits for one datagram, then takes those already queued behind it, up to the batch's capacity.</summary>
    private bool ReceiveBatch(Socket socket, int worker, DatagramBatch batch)
    {
        batch.Count = 0;
        while (batch.Count < batch.Capacity)
        {
            // After the first, only what is already there: FIONREAD is the size of the next queued datagram (0 if none).
            if (batch.Count > 0 && socket.Available == 0)
            {
                break;
            }
            int length;
            try
            {
                length = socket.ReceiveFrom(batch.BufferAt(batch.Count), SocketFlags.None, batch.From(batch.Count));
            }
            catch (SocketException) when (!_stopping)
            {
                // ICMP errors surface here on some platforms (ConnectionReset); the socket is still usable.
                Counters.Drop(TransportDropReason.ReceiveError);
                break;
            }
            Counters.Received(length);
            Counters.WorkerReceived(worker);
            batch.SetLength(batch.Count, length);
            batch.Count++;
        }
        return batch.Count > 0;
    }

    /// <summary>Dispatch with nothing escaping into the receive loops (sinks are serialised in <see cref="Deliver"/>).</summary>
    private void DispatchGuarded(Span<byte> packet, SocketAddress? from, TcpMediaConnection? connection, Socket? localSocket = null,
        ConcurrentDictionary<SocketAddress, Route>? routes = null)
    {
        try
        {
            if (connection is null)
            {
                Dispatch(packet, from!, localSocket, routes ?? _routes);
            }
            else
            {
                DispatchTcp(packet, connection);
            }
        }
#pragma warning disable CA1031 // A parser bug must cost one packet, not the receive thread of every peer.
        catch (Exception)
#pragma warning restore CA1031
        {
            Counters.Drop(TransportDropReason.InternalError);
        }
    }

    /// <summary>Classifies and routes one datagram. Internal so tests and benchmarks can drive it without a socket.</summary>
    internal void Dispatch(Span<byte> packet, SocketAddress from) => Dispatch(packet, from, null, _routes);

    private void Dispatch(Span<byte> packet, SocketAddress from, Socket? localSocket, ConcurrentDictionary<SocketAddress, Route> routes)
    {
        if (!TryClassify(packet, out var kind))
        {
            return;
        }
        routes.TryGetValue(from, out var route);
        DispatchClassified(kind, packet, route?.Sink, route?.Remote, from, null, localSocket);
    }

    /// <summary>Routes one RFC 4571 frame from a TCP connection (the connection is the address).</summary>
    internal void DispatchTcp(Span<byte> packet, TcpMediaConnection connection)
    {
        if (!TryClassify(packet, out var kind))
        {
            return;
        }
        var sink = connection.Sink;
        DispatchClassified(kind, packet, sink, sink is null ? null : connection.Remote, null, connection, null);
    }

    private bool TryClassify(ReadOnlySpan<byte> packet, out PacketKind kind)
    {
        kind = PacketClassifier.Classify(packet);
        switch (kind)
        {
            case PacketKind.Unknown:
                Counters.Drop(packet.Length < 2 ? TransportDropReason.TooShort : TransportDropReason.UnknownFirstByte);
                return false;
            case PacketKind.Zrtp:
            case PacketKind.TurnChannel:
                Counters.Drop(TransportDropReason.UnsupportedProtocol);
                return false;
        }
        if (!PacketClassifier.HasMinimumLength(kind, packet.Length))
        {
            Counters.Drop(TransportDropReason.TooShort);
            return false;
        }
        return true;
    }

    private void DispatchClassified(PacketKind kind, Span<byte> packet, IPacketSink? routeSink, RemoteAddress? routeRemote, SocketAddress? from,
        TcpMediaConnection? connection, Socket? localSocket)
    {
        if (kind != PacketKind.Stun)
        {
            if (routeSink is null)
            {
                Counters.Drop(TransportDropReason.UnknownAddress);
                return;
            }
            Deliver(kind, packet, routeSink, routeRemote!);
            return;
        }
        // STUN goes by the ufrag it names even from a routed address, so a check for another peer (a stale route
        // after a browser reused its port) or after an ICE restart reaches the right agent.
        if (StunMessage.TryParse(packet, out var message) != StunParseError.None)
        {
            if (routeSink is not null)
            {
                Deliver(kind, packet, routeSink, routeRemote!);
                return;
            }
            Counters.Drop(TransportDropReason.MalformedStun);
            return;
        }
        if (!message.HasUsername || !TryFindUfragSink(message.Username, out var sink))
        {
            if (routeSink is not null)
            {
                Deliver(kind, packet, routeSink, routeRemote!);
                return;
            }
            Counters.Drop(message.HasUsername ? TransportDropReason.UnknownUfrag : TransportDropReason.StunWithoutUsername);
            return;
        }
        if (routeSink is not null && ReferenceEquals(routeSink, sink))
        {
            Deliver(kind, packet, sink, routeRemote!);
            return;
        }
        // First contact from this address (for this peer): the one allocation, and only for STUN naming a known ufrag.
        Deliver(PacketKind.Stun, packet, sink, connection?.Remote ?? RemoteAddress.FromReceived(from!, TemplateFor(localSocket), localSocket));
    }

    private bool TryFindUfragSink(ReadOnlySpan<byte> username, out IPacketSink sink)
    {
        var colon = username.IndexOf((byte)':');
        var localUfrag = colon < 0 ? username : username[..colon];
        Span<char> chars = stackalloc char[256];
        if (localUfrag.Length > chars.Length || !Encoding.UTF8.TryGetChars(localUfrag, chars, out var charCount))
        {
            sink = null!;
            return false;
        }
        return _ufragLookup.TryGetValue(chars[..charCount], out sink!);
    }

    private void Deliver(PacketKind kind, Span<byte> packet, IPacketSink sink, RemoteAddress remote)
    {
        Counters.Deliver(kind);
        // One packet at a time per sink, whichever worker (or TCP read loop) it arrived on: the sink's own lock, so
        // different peers run in parallel. Sinks never take another sink's lock, so this is always the outermost one.
        lock (sink)
        {
            DeliverLocked(kind, packet, sink, remote);
        }
    }

    private void DeliverLocked(PacketKind kind, Span<byte> packet, IPacketSink sink, RemoteAddress remote)
    {
        try
        {
            switch (kind)
            {
                case PacketKind.Stun:
                    sink.OnStun(packet, remote);
                    break;
                case PacketKind.Dtls:
                    sink.OnDtls(packet, remote);
                    break;
                case PacketKind.Rtp:
                    sink.OnRtp(packet, remote);
                    break;
                case PacketKind.Rtcp:
                    sink.OnRtcp(packet, remote);
                    break;
            }
        }
#pragma warning disable CA1031 // One faulty peer handler must not stop the receive thread for every other peer.
        catch (Exception)
#pragma warning restore CA1031
        {
            Counters.Drop(TransportDropReason.SinkError);
        }
    }

    private sealed record Route(RemoteAddress Remote, IPacketSink Sink);
}
