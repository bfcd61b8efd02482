using System.Net;
using System.Net.Http.Json;

namespace LiveClassroom.Server.Tests.Auth;

public sealed class LoginIpThrottleTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    [Fact]
    public async Task Login_ThirtyFailuresFromOneAddressAcrossUsernames_RefusesEvenAnotherUser()
    {
        using var client = factory.Anonymous();
        // Spread over usernames so no single username reaches its own limit.
        for (var i = 0; i < 30; i++)
        {
            using var failed = await client.PostAsJsonAsync("/api/auth/login", new { username = $"guess{i}", password = "password-guess" });
            await JsonAssert.ErrorAsync(failed, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using var limited = await client.PostAsJsonAsync("/api/auth/login", new { username = "teacher", password = AccountsServerFactory.DemoPassword });

        await JsonAssert.ErrorAsync(limited, HttpStatusCode.TooManyRequests, "too_many_attempts");
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        using var later = await client.PostAsJsonAsync("/api/auth/login", new { username = "teacher", password = AccountsServerFactory.DemoPassword });
        await JsonAssert.StatusAsync(later, HttpStatusCode.OK);
    }
}
