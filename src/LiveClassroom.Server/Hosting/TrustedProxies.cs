using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace LiveClassroom.Server.Hosting;

/// <summary>
/// Which reverse proxies may tell the server the client's address (<c>X-Forwarded-For</c>) and scheme
/// (<c>X-Forwarded-Proto</c>): only those listed in <c>Network:TrustedProxies</c>, none by default. A header from any
/// other peer is ignored, so a client cannot pick the address the login throttle counts against.
/// </summary>
public static class TrustedProxies
{
    public const string SettingKey = "Network:TrustedProxies";

    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; here nothing is trusted unless configured.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            // Walk back through every trusted hop; the first untrusted address is the client.
            o.ForwardLimit = null;
            foreach (var network in Parse(configuration[SettingKey]))
            {
                o.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }

    /// <summary>Comma-separated addresses (<c>10.0.0.5</c>) or networks (<c>10.0.0.0/24</c>); blank means none.</summary>
    public static IReadOnlyList<System.Net.IPNetwork> Parse(string? value)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var raw in (value ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(raw, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(raw, out var address))
            {
                networks.Add(new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                throw new StartupException($"{SettingKey.Replace(":", "__", StringComparison.Ordinal)}: '{raw}' is neither an IP address nor a network such as 10.0.0.0/24");
            }
        }
        return networks;
    }
}
