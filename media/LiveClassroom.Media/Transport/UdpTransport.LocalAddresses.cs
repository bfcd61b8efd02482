using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace LiveClassroom.Media.Transport;

// RFC 8445 §7.2.5.2.1: a check's response must come from the address the check was sent to, or the browser discards it
// (non-symmetric) and the pair never succeeds. A socket bound to a wildcard address sends from whatever source address
// the kernel's route to the peer picks: a browser on this machine that reaches the 127.0.0.1 candidate from its LAN
// address gets every answer from the LAN address, and ICE never completes. So each advertised address that belongs to
// this machine gets its own socket on the same port: the kernel delivers to the most specific binding, and replies leave
// from the address the peer asked. The wildcard socket still serves addresses that are not ours (a NAT's public address).
internal sealed partial class UdpTransport
{
    private static readonly IPEndPoint AnyV4 = new(IPAddress.Any, 0);
    private static readonly IPEndPoint AnyV6 = new(IPAddress.IPv6Any, 0);

    // Filled once in Start before any receive thread runs, read-only afterwards.
    private readonly Dictionary<Socket, ConcurrentDictionary<SocketAddress, Route>> _localRoutes = new(ReferenceEqualityComparer.Instance);

    private EndPoint TemplateFor(Socket? localSocket) =>
        localSocket is null ? _template : localSocket.AddressFamily == AddressFamily.InterNetwork ? AnyV4 : AnyV6;

    private void BindLocalAddresses(int port)
    {
        var bind = _options.BindAddress;
        if (!bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any))
        {
            return;
        }
        var local = LocalInterfaceAddresses();
        var bound = new HashSet<IPAddress>();
        foreach (var address in _options.AdvertisedAddresses)
        {
            var usable = address.AddressFamily == bind.AddressFamily || (_socket.DualMode && address.AddressFamily == AddressFamily.InterNetwork);
            if (!usable || !local.Contains(address) || !bound.Add(address))
            {
                continue;
            }
            // Linux lets a specific binding share the wildcard's port only if both sockets allow address reuse. The wildcard
            // socket allows it only after its own bind, so a port another process holds still fails start-up.
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            foreach (var extra in _mainExtras)
            {
                extra.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            var extras = new List<Socket>();
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.ReceiveBufferSize = _options.SocketReceiveBufferBytes;
                socket.SendBufferSize = _options.SocketSendBufferBytes;
                // The port is ours already (the wildcard holds it): no probe, the group joins it like the wildcard's.
                BindGroup(socket, extras, new IPEndPoint(address, port), probe: false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            _localRoutes.Add(socket, new ConcurrentDictionary<SocketAddress, Route>());
            _localExtras.Add(socket, extras);
        }
    }

    private static HashSet<IPAddress> LocalInterfaceAddresses()
    {
        var set = new HashSet<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus is not (OperationalStatus.Up or OperationalStatus.Unknown))
            {
                continue;
            }
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                set.Add(unicast.Address);
            }
        }
        return set;
    }
}
