using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LiveClassroom.Testing.Network;

/// <summary>
/// Port numbers for servers a test starts in another process (HTTP, silo, gateway, media, metrics), chosen from
/// 12000–19999: below the kernel's ephemeral range (<c>/proc/sys/net/ipv4/ip_local_port_range</c>) and below the
/// recorder's ffmpeg ports (20000–32000, <c>PortAllocator</c>), whose servers may run beside the tests' own.
/// </summary>
/// <remarks>
/// A number from binding port 0 is an ephemeral one: between the probe closing it and the server binding it, seconds
/// later on a busy machine, any process's outgoing TCP connection or unbound UDP socket may be given that very number.
/// CI failed that way on 2026-12-05 (a cluster node exited at start-up while the first node opened its database
/// connections). Numbers below the range are never handed out by the kernel, so only another test choosing the same
/// random number could take one: each is probed free for what it is asked for, and this process never gives one twice.
/// </remarks>
public static class LocalPorts
{
    private const int Low = 12_000;
    private static readonly HashSet<int> Given = [];
    private static readonly int Below = Math.Min(20_000, EphemeralLow());

    /// <summary>A port number free on <paramref name="address"/> for a TCP listener.</summary>
    public static int FreeForTcp(IPAddress address) => Pick(address, udp: false);

    /// <summary>A port number free on <paramref name="address"/> for TCP and for UDP alike (media and TURN listen on both).</summary>
    public static int FreeForTcpAndUdp(IPAddress address) => Pick(address, udp: true);

    private static int Pick(IPAddress address, bool udp)
    {
        var low = Math.Min(Low, Below - 1_000);
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var port = Random.Shared.Next(low, Below);
            lock (Given)
            {
                if (Given.Contains(port) || !Bindable(address, port, SocketType.Stream, ProtocolType.Tcp)
                    || (udp && !Bindable(address, port, SocketType.Dgram, ProtocolType.Udp)))
                {
                    continue;
                }
                Given.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException($"no free port between {low} and {Below} on {address} after 500 tries");
    }

    private static bool Bindable(IPAddress address, int port, SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(address.AddressFamily, type, protocol);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            if (type == SocketType.Stream)
            {
                socket.Listen();
            }
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port the kernel hands out by itself (32768 when the range cannot be read).</summary>
    private static int EphemeralLow()
    {
        try
        {
            var first = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            return int.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768;
        }
    }
}
