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

    private RemoteAddress(IPEndPoint endPoint, SocketAddress socketAddress)
    {
        EndPoint = endPoint;
        SocketAddress = socketAddress;
    }

    /// <summary>The TCP connection (RFC 4571 framing) this address stands for, or null for UDP.</summary>
    internal TcpMediaConnection? Connection { get; }

    public bool IsTcp => Connection is not null;

    public IPEndPoint EndPoint { get; }

    /// <summary>Never mutate: it is a dictionary key in the transport's route table.</summary>
    public SocketAddress SocketAddress { get; }

    /// <summary>The address without IPv4-mapped IPv6 wrapping (what STUN should report).</summary>
    public IPAddress Address => EndPoint.Address.IsIPv4MappedToIPv6 ? EndPoint.Address.MapToIPv4() : EndPoint.Address;

    public int Port => EndPoint.Port;

    /// <summary>Copies a SocketAddress the socket filled in (the receive loop reuses its instance).</summary>
    public static RemoteAddress FromReceived(SocketAddress received, EndPoint template)
    {
        var copy = new SocketAddress(received.Family, received.Size);
        received.Buffer.Span[..received.Size].CopyTo(copy.Buffer.Span);
        var endPoint = (IPEndPoint)template.Create(copy);
        return new RemoteAddress(endPoint, copy);
    }

    // A TCP connection and a UDP flow from the same IP and port are different paths.
    public bool Equals(RemoteAddress? other) =>
        other is not null && ReferenceEquals(Connection, other.Connection) && SocketAddress.Equals(other.SocketAddress);

    public override bool Equals(object? obj) => Equals(obj as RemoteAddress);

    public override int GetHashCode() => SocketAddress.GetHashCode();

    public override string ToString() => IsTcp ? "tcp:" + EndPoint : EndPoint.ToString();
}
