using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LiveClassroom.Testing.Network;

namespace LiveClassroom.Server.Tests.Hosting;

/// <summary>The ports the process tests hand their servers: never ones the kernel gives out by itself, never twice.</summary>
public sealed class LocalPortsTests
{
    [Fact]
    public void FreeForTcpAndUdp_TwoHundredPorts_BelowTheEphemeralRangeDistinctAndBindable()
    {
        var low = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
        var ports = Enumerable.Range(0, 200).Select(_ => LocalPorts.FreeForTcpAndUdp(IPAddress.Loopback)).ToList();

        // Below the ephemeral range and below the recorder's ffmpeg ports (PortAllocator: 20000–32000).
        Assert.All(ports, p => Assert.InRange(p, 1024, Math.Min(low, 20_000) - 1));
        Assert.Equal(ports.Count, ports.Distinct().Count());
        foreach (var port in ports.Take(20))
        {
            using var tcp = new TcpListener(IPAddress.Loopback, port);
            tcp.Start();
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        }
    }

    [Fact]
    public void FreeForTcp_AnOutgoingConnectionsPort_IsNeverChosen()
    {
        // What the kernel gives an outgoing connection is in the ephemeral range; the chosen ports are all below it.
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        using var client = new TcpClient();
        client.Connect((IPEndPoint)server.LocalEndpoint);
        var outgoing = ((IPEndPoint)client.Client.LocalEndPoint!).Port;

        var chosen = Enumerable.Range(0, 100).Select(_ => LocalPorts.FreeForTcp(IPAddress.Loopback)).ToList();

        Assert.All(chosen, p => Assert.True(p < outgoing, $"port {p} is not below the outgoing connection's {outgoing}"));
    }
}
