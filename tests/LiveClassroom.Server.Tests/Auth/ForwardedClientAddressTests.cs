using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace LiveClassroom.Server.Tests.Auth;

/// <summary>
/// X-Forwarded-For names the client only when the peer is listed in Network:TrustedProxies (none by default, not even
/// loopback). Observed through the (username, address) login limit: five failures lock one address, not another.
/// </summary>
public sealed class ForwardedClientAddressTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    [Fact]
    public async Task Login_ForwardedFor_HonouredFromTheTrustedProxyOnly()
    {
        using var server = factory.WithOwnCluster(b => b.UseSetting("Network:TrustedProxies", "10.0.0.1, 10.9.0.0/16"));
        using var client = server.CreateClient();

        // Through the trusted proxy: one client fails five times; another client behind the same proxy is unaffected.
        await FailFiveTimesAsync(client, "assistant1", "10.0.0.1", _ => "203.0.113.5");
        await ExpectAsync(client, "assistant1", "10.0.0.1", "203.0.113.5", HttpStatusCode.TooManyRequests);
        // A proxy chain: the client is the first address the trusted hops (10.9.x.x) do not vouch for.
        await ExpectAsync(client, "assistant1", "10.0.0.1", "203.0.113.5, 10.9.4.4", HttpStatusCode.TooManyRequests);
        await ExpectAsync(client, "assistant1", "10.0.0.1", "203.0.113.6", HttpStatusCode.OK);

        // From an untrusted peer the header is ignored: changing it on every try does not escape the limit.
        await FailFiveTimesAsync(client, "assistant2", "10.0.0.9", i => $"198.51.100.{i}");
        await ExpectAsync(client, "assistant2", "10.0.0.9", "198.51.100.99", HttpStatusCode.TooManyRequests);
        // The address it claimed is not the one counted (nor locked).
        await ExpectAsync(client, "assistant2", "198.51.100.0", null, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Login_ForwardedForFromLoopbackWithNoTrustedProxies_IsIgnored()
    {
        using var client = factory.Anonymous();

        await FailFiveTimesAsync(client, "assistant3", "127.0.0.1", i => $"198.51.100.{50 + i}");

        await ExpectAsync(client, "assistant3", "127.0.0.1", "198.51.100.99", HttpStatusCode.TooManyRequests);
    }

    private static async Task FailFiveTimesAsync(HttpClient client, string username, string peer, Func<int, string> forwardedFor)
    {
        for (var i = 0; i < 5; i++)
        {
            using var failed = await client.SendAsync(TestPeerAddress.Login(username, $"wrong-{i}-password", peer, forwardedFor(i)));
            await JsonAssert.ErrorAsync(failed, HttpStatusCode.Unauthorized, "invalid_credentials");
        }
    }

    private static async Task ExpectAsync(HttpClient client, string username, string peer, string? forwardedFor, HttpStatusCode expected)
    {
        using var response = await client.SendAsync(TestPeerAddress.Login(username, AccountsServerFactory.DemoPassword, peer, forwardedFor));
        await JsonAssert.StatusAsync(response, expected);
    }
}
