using System.Net.Http.Headers;
using System.Security.Claims;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Hubs;
using LiveClassroom.Server.Research;
using LiveClassroom.Testing.SignalR;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>
/// The shared <see cref="ServerFactory"/> (own database, demo organisation seeded) with a manual clock and a
/// recordings stand-in, plus clients holding the demo people's tokens.
/// </summary>
public sealed class ResearchServer : IAsyncLifetime
{
    private readonly ServerFactory _base = new();
    private WebApplicationFactory<Program>? _app;

    public ManualClock Clock { get; } = new();

    public KnownRecordings Recordings { get; } = new();

    /// <summary>Stands in for the SFU: the research hub's media calls are recorded, not carried out.</summary>
    public Hubs.RecordingMediaControl Media { get; } = new();

    public WebApplicationFactory<Program> App => _app ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        await _base.InitializeAsync();
        _app = _base.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            s.AddSingleton<IRecordingCatalog>(Recordings);
            s.Replace(ServiceDescriptor.Singleton<IMediaControl>(Media));
        }));
        // Starting the host applies the migrations and seeds the demo organisation.
        App.CreateClient().Dispose();
    }

    /// <summary>A client authenticated as a demo person (teacher, assistant1…3, researcher, schooladmin, admin).</summary>
    public async Task<(HttpClient Client, Guid PersonId)> ClientAsync(string username)
    {
        var (token, id) = await TokenAsync(username);
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, id);
    }

    /// <summary>A connection to the research hub over the in-process WebSocket, as a demo person.</summary>
    public async Task<(HubTestClient Hub, Guid PersonId)> HubAsync(string username)
    {
        var (token, id) = await TokenAsync(username);
        return (await HubWithTokenAsync(token), id);
    }

    /// <summary>A connection to the research hub with any token.</summary>
    public async Task<HubTestClient> HubWithTokenAsync(string token)
    {
        var socket = await App.Server.CreateWebSocketClient()
            .ConnectAsync(HubTestClient.WithToken(new Uri(App.Server.BaseAddress, ResearchHub.Path), token), CancellationToken.None);
        return await HubTestClient.ConnectAsync(socket);
    }

    /// <summary>A bearer token of a demo person (teacher, assistant1…3, researcher, schooladmin, admin) and their id.</summary>
    public async Task<(string Token, Guid PersonId)> TokenAsync(string username)
    {
        await using var ds = _base.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand("""
            SELECT p.id, p.display_name, p.organisation_id, array_agg(r.role || '@' || r.organisation_id)
            FROM people p JOIN person_roles r ON r.person_id = p.id WHERE p.username = @u GROUP BY p.id
            """);
        cmd.Parameters.AddWithValue("u", username);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), $"demo person {username} not seeded");
        var id = r.GetGuid(0);
        var claims = new List<Claim>
        {
            new(LcClaims.Subject, id.ToString()),
            new(LcClaims.Name, r.GetString(1)),
            new(LcClaims.Kind, LcClaims.KindPerson),
            new(LcClaims.Organisation, r.GetGuid(2).ToString()),
        };
        claims.AddRange(r.GetFieldValue<string[]>(3).Select(role => new Claim(LcClaims.Role, role)));
        return (App.Services.GetRequiredService<TokenService>().Issue(claims, TimeSpan.FromDays(30)), id);
    }

    public async Task<Guid> OrganisationIdAsync(string name)
    {
        await using var ds = _base.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand("SELECT id FROM organisations WHERE name = @n");
        cmd.Parameters.AddWithValue("n", name);
        return (Guid)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        await ((IAsyncLifetime)_base).DisposeAsync();
    }
}
