using System.Net;
using System.Net.Sockets;

namespace LiveClassroom.Testing.Network;

public static class LocalPorts
{
    /// <summary>A port number free on <paramref name="address"/> for TCP and for UDP alike (media and TURN listen on both).</summary>
    public static int FreeForTcpAndUdp(IPAddress address)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(address, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(address, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
                // Taken for UDP: try another number.
            }
        }
    }
}
