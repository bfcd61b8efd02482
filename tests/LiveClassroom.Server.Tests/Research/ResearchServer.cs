using System.Net.Http.Headers;
using System.Security.Claims;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Hubs;
using LiveClassroom.Testing.SignalR;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>
/// The shared <see cref="ServerFactory"/> (own database, demo organisation seeded) with a manual clock, plus clients
/// holding the demo people's tokens and real <c>recordings</c>/<c>resources</c> rows of any school.
/// </summary>
public sealed class ResearchServer : IAsyncLifetime
{
    private readonly ServerFactory _base = new();
    private WebApplicationFactory<Program>? _app;

    public ManualClock Clock { get; } = new();

    /// <summary>Stands in for the SFU: the research hub's media calls are recorded, not carried out.</summary>
    public Hubs.RecordingMediaControl Media { get; } = new();

    public WebApplicationFactory<Program> App => _app ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        await _base.InitializeAsync();
        _app = _base.WithOwnCluster(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton(new LiveClassroom.Server.Hosting.ServerClock(Clock));
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

    /// <summary>
    /// A finished 40-minute recording of a class at <paramref name="school"/> taught by <paramref name="teacher"/>, and its
    /// library resource in <paramref name="resourceStatus"/> (null: none yet, the finalize job has not made it).
    /// </summary>
    public async Task<Guid> RecordingAsync(string school = LeadSchool, string teacher = "teacher", string? resourceStatus = "published")
    {
        await using var ds = _base.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand("""
            WITH rec AS (
                INSERT INTO recordings (id, room_id, school_id, teacher_id, status, node_id, lease_until, ended_at, duration_seconds, playable, has_video, parts)
                SELECT @id, 'room-' || @id, o.id, p.id, 'ready', 'test', now(), now(), 2400, true, true, 1
                FROM organisations o, people p WHERE o.name = @school AND p.username = @teacher
                RETURNING id, school_id, teacher_id)
            INSERT INTO resources (id, recording_id, school_id, author_id, status, title, published_at)
            SELECT gen_random_uuid(), id, school_id, teacher_id, @status, '分数的初步认识', now() FROM rec WHERE @status::text IS NOT NULL
            """);
        var id = Guid.NewGuid();
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("school", school);
        cmd.Parameters.AddWithValue("teacher", teacher);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter("status", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)resourceStatus ?? DBNull.Value });
        await cmd.ExecuteNonQueryAsync();
        return id;
    }

    /// <summary>The library resource made from a recording.</summary>
    public async Task<Guid> ResourceOfAsync(Guid recordingId)
    {
        await using var ds = _base.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand("SELECT id FROM resources WHERE recording_id = @id");
        cmd.Parameters.AddWithValue("id", recordingId);
        return (Guid)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>A new active person holding <paramref name="role"/> at the organisation named <paramref name="organisation"/> (their home).</summary>
    public async Task<string> PersonAsync(string role, string organisation)
    {
        var username = role + "-" + Guid.NewGuid().ToString("N")[..8];
        await using var ds = _base.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand("""
            WITH p AS (
                INSERT INTO people (id, organisation_id, username, display_name, password_hash)
                SELECT gen_random_uuid(), o.id, @u, @u, 'not-a-login' FROM organisations o WHERE o.name = @org
                RETURNING id, organisation_id)
            INSERT INTO person_roles (person_id, role, organisation_id) SELECT id, @role, organisation_id FROM p
            """);
        cmd.Parameters.AddWithValue("u", username);
        cmd.Parameters.AddWithValue("org", organisation);
        cmd.Parameters.AddWithValue("role", role);
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        return username;
    }

    /// <summary>Runs one statement on the server's database (what another admin tool or area would change).</summary>
    public async Task<int> ExecuteAsync(string sql, Guid id)
    {
        await using var ds = _base.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand(sql);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteNonQueryAsync();
    }

    public const string LeadSchool = "示范县第一实验小学";

    public const string RuralSchool = "青山村小学";

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
