using System.Net;
using System.Net.Sockets;

namespace LiveClassroom.Media.Transport;

/// <summary>
/// A peer's transport address in both shapes: the IPEndPoint for people and STUN, the raw SocketAddress for
/// allocation-free sends and route lookups. Immutable; create once per address, not per packet.
/// </summary>
internal sealed class RemoteAddress : IEquatable<RemoteAddress>
{
    public RemoteAddress(IPEndPoint endPoint)
    {
        EndPoint = endPoint;
        SocketAddress = endPoint.Serialize();
    }

    internal RemoteAddress(IPEndPoint endPoint, TcpMediaConnection connection)
        : this(endPoint)
    {
        Connection = connection;
    }

    private RemoteAddress(IPEndPoint endPoint, SocketAddress socketAddress, Socket? localSocket)
    {
        EndPoint = endPoint;
        SocketAddress = socketAddress;
        LocalSocket = localSocket;
    }

    /// <summary>The TCP connection (RFC 4571 framing) this address stands for, or null for UDP.</summary>
    internal TcpMediaConnection? Connection { get; }

    public bool IsTcp => Connection is not null;

    /// <summary>
    /// The UDP socket bound to the local address this peer reached (replies must leave from it), or null for the
    /// transport's main socket.
    /// </summary>
    internal Socket? LocalSocket { get; }

    public IPEndPoint EndPoint { get; }

    /// <summary>Never mutate: it is a dictionary key in the transport's route table.</summary>
    public SocketAddress SocketAddress { get; }

    /// <summary>The address without IPv4-mapped IPv6 wrapping (what STUN should report).</summary>
    public IPAddress Address => EndPoint.Address.IsIPv4MappedToIPv6 ? EndPoint.Address.MapToIPv4() : EndPoint.Address;

    public int Port => EndPoint.Port;

    /// <summary>Copies a SocketAddress the socket filled in (the receive loop reuses its instance).</summary>
    public static RemoteAddress FromReceived(SocketAddress received, EndPoint template, Socket? localSocket = null)
    {
        var copy = new SocketAddress(received.Family, received.Size);
        received.Buffer.Span[..received.Size].CopyTo(copy.Buffer.Span);
        var endPoint = (IPEndPoint)template.Create(copy);
        return new RemoteAddress(endPoint, copy, localSocket);
    }

    // A TCP connection and a UDP flow from the same IP and port are different paths, and so are flows from one remote
    // address to two of our local addresses (RFC 8445 candidate pairs differ by their local candidate).
    public bool Equals(RemoteAddress? other) =>
        other is not null && ReferenceEquals(Connection, other.Connection) && ReferenceEquals(LocalSocket, other.LocalSocket)
        && SocketAddress.Equals(other.SocketAddress);

    public override bool Equals(object? obj) => Equals(obj as RemoteAddress);

    public override int GetHashCode() => SocketAddress.GetHashCode();

    public override string ToString() => IsTcp ? "tcp:" + EndPoint : EndPoint.ToString();
}
