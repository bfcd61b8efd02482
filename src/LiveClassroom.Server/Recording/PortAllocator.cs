using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// Picks loopback UDP port pairs (RTP even, RTCP odd) for ffmpeg to bind, and tells when ffmpeg has bound them
/// (read from /proc/net/udp: packets sent before that would be lost) and how much it has not read yet.
/// </summary>
public static class PortAllocator
{
    // Below the kernel's ephemeral range (32768+), so outgoing sockets elsewhere do not take them meanwhile.
    private const int First = 20000;
    private const int Last = 32000;

    public static int AllocatePair()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = First + (Random.Shared.Next((Last - First) / 2) * 2);
            if (IsFree(port) && IsFree(port + 1))
            {
                return port;
            }
        }
        throw new IOException("no free loopback UDP port pair for the recorder");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Bytes the kernel holds unread for the given local UDP ports (the rx_queue column of /proc/net/udp: what was sent to
    /// ffmpeg and ffmpeg has not read yet); 0 where /proc is not available.
    /// </summary>
    public static long QueuedBytes(IReadOnlyList<int> ports)
    {
        long queued = 0;
        foreach (var (port, unread) in UdpSockets())
        {
            if (ports.Contains(port))
            {
                queued += unread;
            }
        }
        return queued;
    }

    /// <summary>The UDP ports some process has bound, IPv4 and IPv6.</summary>
    public static HashSet<int> BoundUdpPorts()
    {
        var ports = new HashSet<int>();
        foreach (var (port, _) in UdpSockets())
        {
            ports.Add(port);
        }
        return ports;
    }

    /// <summary>
    /// Every UDP socket of the machine, IPv4 and IPv6 (proc(5), /proc/net/udp: sl local_address rem_address st
    /// tx_queue:rx_queue …): its local port and the bytes queued for it unread (0 where the column cannot be read).
    /// </summary>
    private static IEnumerable<(int Port, long Unread)> UdpSockets()
    {
        foreach (var file in new[] { "/proc/net/udp", "/proc/net/udp6" })
        {
            if (!File.Exists(file))
            {
                continue;
            }
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 2)
                {
                    continue;
                }
                var colon = fields[1].LastIndexOf(':');
                if (colon <= 0 || !int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
                {
                    continue;
                }
                var queues = fields.Length > 4 ? fields[4].IndexOf(':') : -1;
                var unread = queues > 0 && long.TryParse(fields[4].AsSpan(queues + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rx) ? rx : 0;
                yield return (port, unread);
            }
        }
    }
}
