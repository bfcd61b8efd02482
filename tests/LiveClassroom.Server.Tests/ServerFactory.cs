using LiveClassroom.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LiveClassroom.Server.Tests;

/// <summary>The real server in-process, on its own throwaway PostgreSQL database.</summary>
public sealed class ServerFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase? _db;

    public TestDatabase Database => _db ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync("srv");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:ConnectionString", Database.ConnectionString);
        builder.UseOwnCluster();
        builder.UseSetting("Seed:DemoPassword", "demo-password-for-tests");
        builder.UseSetting("Logging:Console:FormatterName", "simple");
        // The real SFU on an ephemeral UDP port, so test servers running side by side never collide.
        builder.UseSetting("Media:UdpPort", "0");
        builder.UseSetting("Media:PublicAddresses", "127.0.0.1");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }
}
