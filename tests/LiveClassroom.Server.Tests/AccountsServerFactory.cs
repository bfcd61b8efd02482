using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveClassroom.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests;

/// <summary>
/// The real server on its own database with the demo organisation, a hand-moved clock, and helpers to act as
/// the demo accounts. One per test class, so a class that moves the clock affects only itself.
/// </summary>
public sealed class AccountsServerFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string DemoPassword = "demo-password-for-tests";

    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private readonly bool _ownsDatabase = true;
    private TestDatabase? _db;

    public AccountsServerFactory()
    {
    }

    private AccountsServerFactory(TestDatabase shared)
    {
        _db = shared;
        _ownsDatabase = false;
    }

    public ManualTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public TestDatabase Database => _db ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync() => _db ??= await TestDatabase.CreateAsync("acc");

    /// <summary>
    /// Another server node on the same database (disposed by the caller; the database stays with this one). Like
    /// production nodes without Auth:SigningKey, the two share the signing key stored in the database.
    /// </summary>
    public AccountsServerFactory SecondNode() => new(Database);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:ConnectionString", Database.ConnectionString);
        builder.UseOwnCluster();
        builder.UseSetting("Seed:DemoPassword", DemoPassword);
        builder.UseSetting("Logging:Console:FormatterName", "simple");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(new LiveClassroom.Server.Hosting.ServerClock(Clock));
            services.AddSingleton<IStartupFilter, TestPeerAddress>();
        });
    }

    public HttpClient Anonymous() => CreateClient();

    /// <summary>A client carrying a token of <paramref name="username"/> (logged in once per class).</summary>
    public async Task<HttpClient> ClientForAsync(string username, string password = DemoPassword)
    {
        var token = _tokens.TryGetValue(username, out var cached) ? cached : _tokens[username] = await LoginAsync(username, password);
        return WithToken(token);
    }

    public HttpClient WithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<string> LoginAsync(string username, string password = DemoPassword)
    {
        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { username, password });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("token").GetString()!;
    }

    public async Task<Guid> OrganisationIdAsync(string name)
    {
        EnsureStarted();
        await using var ds = Database.CreateDataSource();
        await using var cmd = ds.CreateCommand("SELECT id FROM organisations WHERE name = @n");
        cmd.Parameters.AddWithValue("n", name);
        return (Guid)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task<Guid> ClassroomIdAsync(string schoolName)
    {
        EnsureStarted();
        await using var ds = Database.CreateDataSource();
        await using var cmd = ds.CreateCommand(
            "SELECT c.id FROM classrooms c JOIN organisations o ON o.id = c.school_id WHERE o.name = @n ORDER BY c.created_at LIMIT 1");
        cmd.Parameters.AddWithValue("n", schoolName);
        return (Guid)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Starts the server (migrations and demo seed) before a test reads the database directly.</summary>
    public void EnsureStarted() => _ = Services;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_db is not null && _ownsDatabase)
        {
            await _db.DisposeAsync();
        }
    }
}
