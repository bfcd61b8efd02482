using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LiveClassroom.Media.Transport;

// RFC 6544 (ICE-TCP, passive candidates) with RFC 4571 §2 framing: for sites where UDP is blocked. Each connection is
// an address of its own; frames go through the same demux and routing as datagrams, and the same per-sink lock, so
// a peer's sink still sees one packet at a time.
internal sealed partial class UdpTransport
{
    private const int TcpReadBufferBytes = 8192;

    private readonly ConcurrentDictionary<TcpMediaConnection, byte> _connections = new();
    private Socket? _tcpListener;

    /// <summary>The bound TCP endpoint, or null when TCP is off.</summary>
    public IPEndPoint? TcpLocalEndPoint => _tcpListener?.LocalEndPoint as IPEndPoint;

    /// <summary>Addresses for "tcptype passive" ICE candidates, or empty when TCP is off.</summary>
    public IReadOnlyList<IPEndPoint> AdvertisedTcpEndPoints
    {
        get
        {
            var local = TcpLocalEndPoint;
            if (local is null)
            {
                return [];
            }
            var list = new List<IPEndPoint>();
            if (_options.AdvertisedAddresses.Count == 0)
            {
                list.Add(new IPEndPoint(_options.BindAddress, local.Port));
            }
            foreach (var address in _options.AdvertisedAddresses)
            {
                list.Add(new IPEndPoint(address, local.Port));
            }
            return list;
        }
    }

    public int TcpConnectionCount => _connections.Count;

    private void StartTcp()
    {
        if (_options.TcpPort is not int port)
        {
            return;
        }
        var listener = new Socket(_options.BindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (_options.BindAddress.AddressFamily == AddressFamily.InterNetworkV6 && _options.BindAddress.Equals(IPAddress.IPv6Any))
        {
            listener.DualMode = true;
        }
        BindTcp(listener, port);
        listener.Listen(128);
        _tcpListener = listener;
        _ = AcceptLoopAsync(listener);
    }

    /// <summary>Port 0: the UDP port's number when that TCP port is free (one number to open in a firewall), else ephemeral.</summary>
    private void BindTcp(Socket listener, int port)
    {
        if (port != 0)
        {
            listener.Bind(new IPEndPoint(_options.BindAddress, port));
            return;
        }
        try
        {
            listener.Bind(new IPEndPoint(_options.BindAddress, LocalEndPoint.Port));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            listener.Bind(new IPEndPoint(_options.BindAddress, 0));
        }
    }

    private void StopTcp()
    {
        _tcpListener?.Dispose();
        foreach (var connection in _connections.Keys)
        {
            connection.Close();
        }
        _connections.Clear();
    }

    private void CloseConnectionsOf(IPacketSink sink)
    {
        foreach (var connection in _connections.Keys)
        {
            if (ReferenceEquals(connection.Sink, sink))
            {
                connection.Sink = null;
                connection.Close();
            }
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (SocketException) when (!_stopping)
            {
                Counters.Drop(TransportDropReason.ReceiveError);
                continue;
            }
            catch (SocketException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            if (_connections.Count >= _options.MaxTcpConnections)
            {
                Counters.Drop(TransportDropReason.TcpConnectionRefused);
                socket.Dispose();
                continue;
            }
            socket.NoDelay = true;
            var connection = new TcpMediaConnection(socket, BufferPool, _options.TcpSendQueueFrames);
            _connections[connection] = 0;
            _ = ReadLoopAsync(connection);
            _ = connection.RunSendLoopAsync();
            _ = CloseIfUnroutedAsync(connection);
        }
    }

    private async Task CloseIfUnroutedAsync(TcpMediaConnection connection)
    {
        await Task.Delay(_options.TcpUnroutedTimeout).ConfigureAwait(false);
        if (connection.Sink is null)
        {
            connection.Close();
        }
    }

    private async Task ReadLoopAsync(TcpMediaConnection connection)
    {
        // One read buffer per connection for its life; frames are dispatched straight out of it.
        var buffer = new byte[TcpReadBufferBytes];
        var maxFrame = BufferPool.BufferSize;
        var filled = 0;
        var skip = 0;
        try
        {
            while (true)
            {
                var n = await connection.Socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                filled += n;
                var consumed = ConsumeFrames(connection, buffer, filled, maxFrame, ref skip);
                if (consumed > 0)
                {
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }
            }
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            connection.Close();
            _connections.TryRemove(connection, out _);
        }
    }

    /// <summary>Dispatches every complete frame in buffer[..filled]; returns the bytes consumed. Oversized frames are skipped.</summary>
    private int ConsumeFrames(TcpMediaConnection connection, byte[] buffer, int filled, int maxFrame, ref int skip)
    {
        var pos = 0;
        while (true)
        {
            if (skip > 0)
            {
                var k = Math.Min(skip, filled - pos);
                pos += k;
                skip -= k;
                if (skip > 0)
                {
                    return pos;
                }
                continue;
            }
            if (filled - pos < 2)
            {
                return pos;
            }
            int length = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(pos));
            if (length > maxFrame)
            {
                Counters.Drop(TransportDropReason.TcpFrameTooLarge);
                skip = length;
                pos += 2;
                continue;
            }
            if (filled - pos - 2 < length)
            {
                return pos;
            }
            Counters.Received(length);
            DispatchGuarded(buffer.AsSpan(pos + 2, length), null, connection);
            pos += 2 + length;
        }
    }
}
