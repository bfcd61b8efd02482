using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace LiveClassroom.Server.Tests.Apis;

public sealed class PairingRateLimitTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    [Fact]
    public async Task CreatePairingRequest_SixtyFromOneAddress_TheNextIs429UntilTheWindowPasses()
    {
        using var client = factory.Anonymous();
        for (var i = 0; i < 60; i++)
        {
            using var ok = await client.SendAsync(Create("192.0.2.60"));
            await JsonAssert.StatusAsync(ok, HttpStatusCode.Created);
        }

        using var limited = await client.SendAsync(Create("192.0.2.60"));

        var json = await JsonAssert.ErrorAsync(limited, HttpStatusCode.TooManyRequests, "too_many_attempts");
        Assert.InRange(json.GetProperty("retryAfterSeconds").GetInt32(), 1, 600);
        // Another projector room behind another address is not affected.
        await JsonAssert.StatusAsync(await client.SendAsync(Create("192.0.2.61")), HttpStatusCode.Created);
        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        await JsonAssert.StatusAsync(await client.SendAsync(Create("192.0.2.60")), HttpStatusCode.Created);
    }

    [Fact]
    public async Task CreatePairingRequest_ParallelFromOneAddress_CreatesExactlyTheLimit()
    {
        using var server = factory.WithOwnCluster(b => b.UseSetting("Auth:PairingRequestsPerIp", "5"));
        using var client = server.CreateClient();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            using var response = await client.SendAsync(Create("192.0.2.70"));
            return response.StatusCode;
        }));

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(25, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task CreatePairingRequest_BehindTrustedProxy_CountsEachForwardedClient()
    {
        using var server = factory.WithOwnCluster(b =>
        {
            b.UseSetting("Auth:PairingRequestsPerIp", "2");
            b.UseSetting("Network:TrustedProxies", "10.0.0.1");
        });
        using var client = server.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            await JsonAssert.StatusAsync(await client.SendAsync(Create("10.0.0.1", "203.0.113.80")), HttpStatusCode.Created);
        }

        await JsonAssert.ErrorAsync(await client.SendAsync(Create("10.0.0.1", "203.0.113.80")), HttpStatusCode.TooManyRequests, "too_many_attempts");
        await JsonAssert.StatusAsync(await client.SendAsync(Create("10.0.0.1", "203.0.113.81")), HttpStatusCode.Created);
    }

    private static HttpRequestMessage Create(string peer, string? forwardedFor = null) =>
        TestPeerAddress.Request(HttpMethod.Post, "/api/devices/pairing-requests", peer, forwardedFor);
}
