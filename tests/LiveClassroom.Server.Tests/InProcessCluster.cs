using System.Globalization;
using System.Net;
using LiveClassroom.Testing.Network;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LiveClassroom.Server.Tests;

/// <summary>
/// Every in-process test server is an Orleans cluster of its own. Servers that share a database (a factory and the
/// variants it builds with WithWebHostBuilder) would otherwise join one cluster, and grains of one test would be placed
/// on the silo of another test's server and move when that server is disposed.
/// </summary>
internal static class InProcessCluster
{
    public static string NewId() => "test-" + Guid.NewGuid().ToString("n");

    /// <summary>
    /// A cluster of its own (<paramref name="clusterId"/>, else a new one) with silo and gateway ports from
    /// <see cref="LocalPorts"/>. Port 0 (scripts/test.sh's default) made the server probe an ephemeral port and bind it
    /// seconds later at start-up, and in between any outgoing connection on the machine may be given that number: CI
    /// failed that way on 2026-12-06 (PairingRateLimitTests, "address already in use" from the silo's listener).
    /// </summary>
    public static IWebHostBuilder UseOwnCluster(this IWebHostBuilder builder, string? clusterId = null) =>
        builder.UseSetting("Cluster:Id", clusterId ?? NewId())
            .UseSetting("Cluster:SiloPort", LocalPorts.FreeForTcp(IPAddress.Any).ToString(CultureInfo.InvariantCulture))
            .UseSetting("Cluster:GatewayPort", LocalPorts.FreeForTcp(IPAddress.Any).ToString(CultureInfo.InvariantCulture));

    /// <summary><see cref="WebApplicationFactory{TEntryPoint}.WithWebHostBuilder"/>, in a cluster of its own.</summary>
    public static WebApplicationFactory<Program> WithOwnCluster(this WebApplicationFactory<Program> factory, Action<IWebHostBuilder> configure) =>
        factory.WithWebHostBuilder(b =>
        {
            b.UseOwnCluster();
            configure(b);
        });
}
