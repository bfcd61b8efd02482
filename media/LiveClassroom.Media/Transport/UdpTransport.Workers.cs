using System.Net;
using System.Net.Sockets;

namespace LiveClassroom.Media.Transport;

// Why SO_REUSEPORT sockets rather than rooms sharded over workers (measured with the forwarding benchmark, README):
// the kernel spreads peers over the sockets by a hash of their 4-tuple, so receiving, SRTP decryption, STUN and DTLS
// of different peers run in parallel without any hand-off between threads or any change to the per-peer order (one
// peer's datagrams always land on the same socket). Every socket of a group is bound to the same address and port, so
// a reply sent from any of them leaves from the port the peer talks to: ICE consent and DTLS need no affinity to the
// socket that first saw the peer. What the hash cannot spread is one publisher's fan-out to a large room; SfuRoom
// splits that over the fan-out lanes (Sfu/FanOutPool.cs). Sharding rooms over workers would need a hand-off queue
// per packet for every peer whose datagrams land on a socket other than its room's, and would still leave a big
// room's fan-out on one core.
internal sealed partial class UdpTransport
{
    // SOL_SOCKET / SO_REUSEPORT on Linux (socket(7)); .NET has no portable name for it.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    // The wildcard binding's sockets after the first (_socket); filled in Start before any receive thread runs.
    private readonly List<Socket> _mainExtras = [];

    // Per local-address binding (keyed by its first socket, which stands for the binding in RemoteAddress.LocalSocket):
    // the sockets after the first.
    private readonly Dictionary<Socket, List<Socket>> _localExtras = new(ReferenceEqualityComparer.Instance);

    /// <summary>Sockets per binding, each with its own receive thread.</summary>
    public int Workers { get; }

    // Which socket of a group this thread sends from: its worker's own (receive threads) or its lane's (fan-out lanes).
    // Any socket of a group sends from the shared address and port; one per thread keeps the kernel's per-socket send
    // accounting on that thread's core instead of moving one socket's state between the cores on every packet.
    [ThreadStatic]
    private static int t_sendSocket;

    /// <summary>
    /// Sends from this thread go out through the <paramref name="index"/>-th socket of their binding's group (modulo the
    /// group's size; 0, the default, is the first). For the threads that forward: workers and fan-out lanes.
    /// </summary>
    internal static void UseSendSocket(int index) => t_sendSocket = Math.Max(0, index);

    /// <summary>The index this thread sends from (<see cref="UseSendSocket"/>).</summary>
    internal static int SendSocket => t_sendSocket;

    private Socket SendSocketFor(RemoteAddress remote)
    {
        var first = remote.LocalSocket ?? _socket;
        var index = t_sendSocket % Workers;
        if (index == 0)
        {
            return first;
        }
        var extras = remote.LocalSocket is null ? _mainExtras : _localExtras.GetValueOrDefault(first);
        return extras is not null && index - 1 < extras.Count ? extras[index - 1] : first;
    }

    /// <summary>
    /// Binds <paramref name="first"/> to <paramref name="endPoint"/> and, with more than one worker, Workers − 1 more
    /// sockets to the same address and port, all with SO_REUSEPORT. <paramref name="first"/> may already carry options.
    /// </summary>
    private void BindGroup(Socket first, List<Socket> extras, IPEndPoint endPoint, bool probe = true)
    {
        if (Workers == 1)
        {
            first.Bind(endPoint);
            return;
        }
        if (probe && endPoint.Port != 0)
        {
            // SO_REUSEPORT would let this process join a port another server of the same user already holds, and
            // steal half its traffic: a fixed port must be free without it first.
            using var alone = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            if (first.AddressFamily == AddressFamily.InterNetworkV6)
            {
                alone.DualMode = first.DualMode;
            }
            alone.Bind(endPoint);
        }
        first.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
        first.Bind(endPoint);
        var port = ((IPEndPoint)first.LocalEndPoint!).Port;
        try
        {
            for (var i = 1; i < Workers; i++)
            {
                var socket = new Socket(first.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                extras.Add(socket);
                if (first.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = first.DualMode;
                }
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress,
                    (int)first.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress)! != 0);
                socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
                socket.ReceiveBufferSize = _options.SocketReceiveBufferBytes;
                socket.SendBufferSize = _options.SocketSendBufferBytes;
                socket.Bind(new IPEndPoint(endPoint.Address, port));
            }
        }
        catch
        {
            foreach (var socket in extras)
            {
                socket.Dispose();
            }
            extras.Clear();
            throw;
        }
    }
}
