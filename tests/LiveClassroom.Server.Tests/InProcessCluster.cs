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

    /// <summary><see cref="WebApplicationFactory{TEntryPoint}.WithWebHostBuilder"/>, in a cluster of its own.</summary>
    public static WebApplicationFactory<Program> WithOwnCluster(this WebApplicationFactory<Program> factory, Action<IWebHostBuilder> configure) =>
        factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Cluster:Id", NewId());
            configure(b);
        });
}
