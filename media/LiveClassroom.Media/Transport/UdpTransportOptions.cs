using System.Net;

namespace LiveClassroom.Media.Transport;

internal sealed class UdpTransportOptions
{
    /// <summary>Address to bind; IPv6Any binds dual-stack.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>UDP port; 0 picks an ephemeral port (tests).</summary>
    public int Port { get; init; }

    /// <summary>Addresses to put in ICE candidates (public/NAT addresses). Empty = the bound address.</summary>
    public IReadOnlyList<IPAddress> AdvertisedAddresses { get; init; } = [];

    /// <summary>Kernel receive buffer; large so bursts of video survive a GC pause.</summary>
    public int SocketReceiveBufferBytes { get; init; } = 4 * 1024 * 1024;

    public int SocketSendBufferBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>ICE-TCP passive port (RFC 6544, RFC 4571 framing) on the same bind address; null = no TCP, 0 = the UDP port's number when free, else ephemeral.</summary>
    public int? TcpPort { get; init; }

    /// <summary>Accepted TCP connections beyond this are closed at once (counted).</summary>
    public int MaxTcpConnections { get; init; } = 1024;

    /// <summary>A TCP connection that no valid ICE check routed to a peer within this time is closed.</summary>
    public TimeSpan TcpUnroutedTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Frames queued per TCP connection before new ones are dropped.</summary>
    public int TcpSendQueueFrames { get; init; } = 256;

    /// <summary>
    /// Sockets per local binding, all on the one port with SO_REUSEPORT, each with its own receive thread (Linux; 1 elsewhere).
    /// 1 = a single socket without SO_REUSEPORT, as before workers existed.
    /// </summary>
    public int Workers { get; init; } = 1;

    /// <summary>
    /// Datagrams a receive thread takes off its socket at most before handing them on: the first it waits for, the rest
    /// only if already queued. A burst of one peer's RTP then reaches its sink in one call (a large room splits one
    /// fan-out for the whole burst, SfuRoom.FanOut.cs). 1 = one datagram at a time.
    /// </summary>
    public int ReceiveBatch { get; init; } = 16;

    /// <summary>Buffers in the shared pool (receive + any packets the upper layers queue).</summary>
    public int BufferPoolCapacity { get; init; } = 4096;
}
