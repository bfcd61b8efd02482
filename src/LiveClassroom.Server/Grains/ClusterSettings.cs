using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LiveClassroom.Server.Grains;

/// <summary>
/// How this node's silo joins the cluster (config section <c>Cluster</c>; env <c>Cluster__Id</c> …). Nodes with the
/// same <see cref="ClusterId"/> and <see cref="ServiceId"/> on the same database form one cluster; the defaults make a
/// one-node cluster on loopback. A port of 0 takes a free port (tests).
/// </summary>
public sealed record ClusterSettings(string ClusterId, string ServiceId, IPAddress AdvertisedAddress, int SiloPort, int GatewayPort)
{
    public static ClusterSettings Read(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var address = config["Cluster:AdvertisedAddress"] is { Length: > 0 } a ? Resolve(a) : IPAddress.Loopback;
        return new ClusterSettings(
            config["Cluster:Id"] is { Length: > 0 } id ? id : "liveclassroom",
            config["Cluster:ServiceId"] is { Length: > 0 } service ? service : "liveclassroom",
            address,
            Port(config, "Cluster:SiloPort", 11111),
            Port(config, "Cluster:GatewayPort", 30000));
    }

    /// <summary>An IP address as is; a host name (e.g. a compose service name) resolved to its first IPv4 address.</summary>
    private static IPAddress Resolve(string address)
    {
        if (IPAddress.TryParse(address, out var ip))
        {
            return ip;
        }
        try
        {
            return Dns.GetHostAddresses(address).First(a => a.AddressFamily == AddressFamily.InterNetwork);
        }
        catch (Exception ex) when (ex is SocketException or InvalidOperationException)
        {
            throw new InvalidOperationException($"Cluster:AdvertisedAddress '{address}' is neither an IP address nor a resolvable host name", ex);
        }
    }

    private static int Port(IConfiguration config, string key, int fallback)
    {
        var raw = config[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new InvalidOperationException($"{key} must be a port number (0 = any free port), not '{raw}'");
        }
        return port == 0 ? FreePort() : port;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
