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

    /// <summary>
    /// Adds the forwarded-headers middleware only when proxies are configured: with empty proxy lists that middleware
    /// would accept the headers from any peer.
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app, IConfiguration configuration)
    {
        var trusted = Parse(configuration[SettingKey]);
        if (trusted.Count == 0)
        {
            return app;
        }
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // Walk back through every trusted hop; the first untrusted address is the client.
            ForwardLimit = null,
        };
        // The framework's defaults trust loopback; here only the configured proxies are.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
#pragma warning disable CS0618, ASPDEPR005 // the obsolete list still holds 127.0.0.0/8 and is still consulted
        options.KnownNetworks.Clear();
#pragma warning restore CS0618, ASPDEPR005
        foreach (var network in trusted)
        {
            options.KnownIPNetworks.Add(network);
        }
        return app.UseForwardedHeaders(options);
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
