using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Auth;
using LiveClassroom.Testing;
using LiveClassroom.Testing.SignalR;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>The real server in-process on its own database, with a recording media plane, plus hub connection helpers.</summary>
public class HubServerFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase? _db;
    private DemoOrg? _org;

    public RecordingMediaControl Media { get; } = new();

    public TestDatabase Database => _db ?? throw new InvalidOperationException("not initialised");

    public DemoOrg Org => _org ?? throw new InvalidOperationException("not initialised");

    public TokenService Tokens => Services.GetRequiredService<TokenService>();

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("hub");
        // Starting the host runs migrations and the demo seed.
        _ = Server;
        _org = await DemoOrg.LoadAsync(Database.ConnectionString);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:ConnectionString", Database.ConnectionString);
        builder.UseOwnCluster();
        builder.UseSetting("Seed:DemoPassword", "demo-password-for-tests");
        builder.UseSetting("Logging:Console:FormatterName", "simple");
        builder.UseSetting("Media:Mode", "Null");
        // Refused calls are expected here by the dozen; SignalR logs each with a stack trace below Warning.
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
        builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<IMediaControl>(Media));
        });
    }

    public string TokenFor(string username) => DemoOrg.PersonToken(Tokens, Org[username]);

    /// <summary>Opens a hub connection in-process with <paramref name="token"/> (null = anonymous).</summary>
    public async Task<HubTestClient> ConnectAsync(string? token)
    {
        var ws = Server.CreateWebSocketClient();
        var uri = HubTestClient.WithToken(new Uri(Server.BaseAddress, "/hubs/classroom"), token);
        var socket = await ws.ConnectAsync(uri, CancellationToken.None);
        return await HubTestClient.ConnectAsync(socket);
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
