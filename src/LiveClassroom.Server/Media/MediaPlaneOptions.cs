using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using LiveClassroom.Media;
using LiveClassroom.Server.Hosting;

namespace LiveClassroom.Server.Media;

/// <summary>Reads <c>Media:*</c> configuration into the SFU's options.</summary>
public static class MediaPlaneOptions
{
    public const int DefaultUdpPort = 40000;

    public static MediaServerOptions FromConfiguration(IConfiguration config)
    {
        var port = config.GetValue("Media:UdpPort", DefaultUdpPort);
        if (port is < 0 or > 65535)
        {
            throw new StartupException($"Media:UdpPort must be 0–65535, not {port}");
        }
        var bind = Parse(config["Media:BindAddress"], "Media:BindAddress") ?? IPAddress.Any;
        // Packet workers: SO_REUSEPORT sockets on the media port, one receive thread each, plus fan-out lanes (media README).
        var workers = config.GetValue("Media:Workers", Environment.ProcessorCount);
        if (workers is < 1 or > 1024)
        {
            throw new StartupException($"Media:Workers must be 1–1024, not {workers}");
        }
        var advertised = new List<IPAddress>();
        // Media:PublicAddresses (comma-separated) or the single Media:PublicAddress used by docker-compose.yml.
        var listed = config["Media:PublicAddresses"] ?? config["Media:PublicAddress"];
        if (!string.IsNullOrWhiteSpace(listed))
        {
            foreach (var part in listed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                advertised.Add(Parse(part, "Media:PublicAddresses")!);
            }
        }
        else
        {
            advertised.AddRange(DefaultAdvertised(bind));
        }
        return new MediaServerOptions
        {
            Port = port,
            Workers = workers,
            TcpPort = IceTcpPort(config, port),
            BindAddress = bind,
            AdvertisedAddresses = advertised,
            SrtpProfile = Enum<SrtpProfilePreference>(config, "Media:SrtpProfile", SrtpProfilePreference.PreferGcm),
            VideoCodec = Enum<VideoCodecPreference>(config, "Media:VideoCodec", VideoCodecPreference.H264),
            // docs/BANDWIDTH.md: per-subscriber estimate, layer choice with audio-first, probes, RED.
            DownlinkTransportCc = Flag(config, "Media:DownlinkTransportCc", true),
            AdaptiveLayers = Flag(config, "Media:AdaptiveLayers", true),
            Probing = Flag(config, "Media:Probing", true),
            NegotiateRed = Flag(config, "Media:Red", true),
        };
    }

    /// <summary>
    /// RFC 6544 ICE-TCP for schools whose firewall blocks UDP: on by default, on the UDP port's number (TCP), so one
    /// number is opened in a firewall. Media:IceTcp=false turns it off; Media:TcpPort picks another port.
    /// </summary>
    private static int? IceTcpPort(IConfiguration config, int udpPort)
    {
        var enabled = config["Media:IceTcp"];
        if (!string.IsNullOrWhiteSpace(enabled))
        {
            if (!bool.TryParse(enabled, out var on))
            {
                throw new StartupException($"Media:IceTcp must be true or false, not '{enabled}'");
            }
            if (!on)
            {
                return null;
            }
        }
        var port = config.GetValue("Media:TcpPort", udpPort);
        if (port is < 0 or > 65535)
        {
            throw new StartupException($"Media:TcpPort must be 0–65535, not {port}");
        }
        return port;
    }

    /// <summary>
    /// Without configuration: this machine's own non-loopback IPv4 addresses, reachable from the school LAN and from
    /// browsers on this machine alike (the transport answers each from the address it was asked on); loopback only
    /// when nothing else exists. Behind NAT set Media:PublicAddresses.
    /// </summary>
    private static List<IPAddress> DefaultAdvertised(IPAddress bind)
    {
        if (!bind.Equals(IPAddress.Any))
        {
            return [bind];
        }
        var found = new List<IPAddress>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }
            foreach (var ua in nic.GetIPProperties().UnicastAddresses)
            {
                if (ua.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(ua.Address))
                {
                    found.Add(ua.Address);
                }
            }
        }
        if (found.Count == 0)
        {
            found.Add(IPAddress.Loopback);
        }
        return found;
    }

    private static IPAddress? Parse(string? value, string key)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        return IPAddress.TryParse(value, out var address)
            ? address
            : throw new StartupException($"{key} must be an IP address, not '{value}'");
    }

    private static bool Flag(IConfiguration config, string key, bool fallback)
    {
        var value = config[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }
        return bool.TryParse(value, out var on) ? on : throw new StartupException($"{key} must be true or false, not '{value}'");
    }

    private static T Enum<T>(IConfiguration config, string key, T fallback) where T : struct, System.Enum
    {
        var value = config[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }
        return System.Enum.TryParse<T>(value, ignoreCase: true, out var parsed)
            ? parsed
            : throw new StartupException(string.Create(CultureInfo.InvariantCulture,
                $"{key} must be one of {string.Join(", ", System.Enum.GetNames<T>())}, not '{value}'"));
    }
}
