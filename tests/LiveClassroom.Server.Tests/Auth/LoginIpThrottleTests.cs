using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace LiveClassroom.Server.Tests.Auth;

public sealed class LoginIpThrottleTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    [Fact]
    public async Task Login_PerAddressLimitAcrossUsernames_RefusesEvenAnotherUser()
    {
        // The default (300) is sized for a school behind one NAT; a small one keeps the test short.
        using var server = factory.WithOwnCluster(b => b.UseSetting("Auth:LoginFailuresPerIp", "12"));
        using var client = server.CreateClient();
        // Spread over usernames so no single username reaches its own limit.
        for (var i = 0; i < 12; i++)
        {
            using var failed = await client.SendAsync(TestPeerAddress.Login($"guess{i}", "password-guess", "192.0.2.50"));
            await JsonAssert.ErrorAsync(failed, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using var limited = await client.SendAsync(TestPeerAddress.Login("teacher", AccountsServerFactory.DemoPassword, "192.0.2.50"));
        await JsonAssert.ErrorAsync(limited, HttpStatusCode.TooManyRequests, "too_many_attempts");
        using var otherAddress = await client.SendAsync(TestPeerAddress.Login("teacher", AccountsServerFactory.DemoPassword, "192.0.2.51"));
        await JsonAssert.StatusAsync(otherAddress, HttpStatusCode.OK);

        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        using var later = await client.SendAsync(TestPeerAddress.Login("teacher", AccountsServerFactory.DemoPassword, "192.0.2.50"));
        await JsonAssert.StatusAsync(later, HttpStatusCode.OK);
    }
}
