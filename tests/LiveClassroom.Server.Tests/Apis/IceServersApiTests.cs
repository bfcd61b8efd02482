using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LiveClassroom.Server.Tests.Hubs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LiveClassroom.Server.Tests.Apis;

/// <summary>GET /api/media/ice-servers: coturn REST API credentials (use-auth-secret), checked here independently.</summary>
public sealed class IceServersApiTests : IClassFixture<HubServerFactory>, IDisposable
{
    private const string Secret = "turn-secret-for-tests";
    private const int TtlSeconds = 600;
    private static readonly string[] Urls = ["turn:turn.example.test:3478?transport=udp", "turn:turn.example.test:3478?transport=tcp", "turns:turn.example.test:443?transport=tcp"];

    private readonly HubServerFactory _plain;
    private readonly WebApplicationFactory<Program> _withTurn;

    public IceServersApiTests(HubServerFactory factory)
    {
        _plain = factory;
        _withTurn = factory.WithOwnCluster(b =>
        {
            b.UseSetting("Turn:Urls", string.Join(", ", Urls));
            b.UseSetting("Turn:Secret", Secret);
            b.UseSetting("Turn:TtlSeconds", TtlSeconds.ToString(CultureInfo.InvariantCulture));
        });
    }

    public void Dispose() => _withTurn.Dispose();

    private static async Task<HttpResponseMessage> GetAsync(WebApplicationFactory<Program> server, string? token)
    {
        using var client = server.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await client.GetAsync(new Uri("/api/media/ice-servers", UriKind.Relative));
    }

    [Fact]
    public async Task IceServers_Anonymous_Is401()
    {
        using var response = await GetAsync(_withTurn, null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task IceServers_Teacher_GetsConfiguredUrlsWithHmacCredentialExpiringAfterTtl()
    {
        var teacher = _plain.Org["teacher"];
        var before = DateTimeOffset.UtcNow;

        using var response = await GetAsync(_withTurn, _plain.TokenFor("teacher"));

        var after = DateTimeOffset.UtcNow;
        var json = await JsonAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(TtlSeconds, json.GetProperty("ttlSeconds").GetInt32());
        var server = Assert.Single(json.GetProperty("iceServers").EnumerateArray().ToList());
        Assert.Equal(Urls, server.GetProperty("urls").EnumerateArray().Select(u => u.GetString()!).ToArray());
        var username = server.GetProperty("username").GetString()!;
        var parts = username.Split(':');
        Assert.Equal(2, parts.Length);
        Assert.Equal(teacher.Id, Guid.Parse(parts[1]));
        var expiry = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[0], CultureInfo.InvariantCulture));
        Assert.InRange(expiry, before.AddSeconds(TtlSeconds - 1), after.AddSeconds(TtlSeconds + 1));
        Assert.Equal(expiry, json.GetProperty("expiresAt").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(Secret, json.GetRawText(), StringComparison.Ordinal);
        // What coturn computes from its static-auth-secret for this username.
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(username)));
        Assert.Equal(expected, server.GetProperty("credential").GetString());
    }

    [Fact]
    public async Task IceServers_PairedDevice_GetsCredentialNamingTheDevice()
    {
        var deviceId = Guid.CreateVersion7();
        var token = DemoOrg.DeviceToken(_plain.Tokens, deviceId, _plain.Org.Org(DemoOrg.RuralSchools[0]), _plain.Org.ClassroomOf(DemoOrg.RuralSchools[0]));

        using var response = await GetAsync(_withTurn, token);

        var json = await JsonAssert.StatusAsync(response, HttpStatusCode.OK);
        var server = Assert.Single(json.GetProperty("iceServers").EnumerateArray().ToList());
        var username = server.GetProperty("username").GetString()!;
        Assert.EndsWith(":" + deviceId.ToString("D"), username, StringComparison.Ordinal);
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(username)));
        Assert.Equal(expected, server.GetProperty("credential").GetString());
    }

    [Fact]
    public async Task IceServers_TwoUsers_GetDifferentCredentials()
    {
        using var a = await GetAsync(_withTurn, _plain.TokenFor("teacher"));
        using var b = await GetAsync(_withTurn, _plain.TokenFor("admin"));

        var credA = (await JsonAssert.StatusAsync(a, HttpStatusCode.OK)).GetProperty("iceServers")[0].GetProperty("credential").GetString();
        var credB = (await JsonAssert.StatusAsync(b, HttpStatusCode.OK)).GetProperty("iceServers")[0].GetProperty("credential").GetString();
        Assert.NotEqual(credA, credB);
    }

    [Fact]
    public async Task IceServers_TurnNotConfigured_EmptyList()
    {
        using var response = await GetAsync(_plain, _plain.TokenFor("teacher"));

        var json = await JsonAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Array, json.GetProperty("iceServers").ValueKind);
        Assert.Empty(json.GetProperty("iceServers").EnumerateArray());
    }
}
