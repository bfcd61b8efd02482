using System.Net;
using System.Net.Http.Json;

namespace LiveClassroom.Server.Tests.Auth;

public sealed class LoginThrottleTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    [Fact]
    public async Task Login_FiveFailuresForOneUser_Returns429UntilTheWindowPasses()
    {
        using var client = factory.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            using var failed = await client.PostAsJsonAsync("/api/auth/login", new { username = "assistant1", password = $"wrong-{i}-password" });
            await JsonAssert.ErrorAsync(failed, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        // Even the right password is not checked while the username is throttled.
        using var limited = await client.PostAsJsonAsync("/api/auth/login", new { username = "assistant1", password = AccountsServerFactory.DemoPassword });
        var json = await JsonAssert.ErrorAsync(limited, HttpStatusCode.TooManyRequests, "too_many_attempts");
        var retry = json.GetProperty("retryAfterSeconds").GetInt32();
        Assert.InRange(retry, 1, 300);
        Assert.Equal(retry.ToString(System.Globalization.CultureInfo.InvariantCulture), limited.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Another username is unaffected.
        using var other = await client.PostAsJsonAsync("/api/auth/login", new { username = "assistant2", password = AccountsServerFactory.DemoPassword });
        await JsonAssert.StatusAsync(other, HttpStatusCode.OK);

        factory.Clock.Advance(TimeSpan.FromSeconds(retry + 1));
        using var later = await client.PostAsJsonAsync("/api/auth/login", new { username = "assistant1", password = AccountsServerFactory.DemoPassword });
        await JsonAssert.StatusAsync(later, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Login_SuccessAfterFailures_RestartsTheUsersCount()
    {
        using var client = factory.Anonymous();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                using var failed = await client.PostAsJsonAsync("/api/auth/login", new { username = "researcher", password = $"typo-{i}-password" });
                await JsonAssert.ErrorAsync(failed, HttpStatusCode.Unauthorized, "invalid_credentials");
            }
            using var ok = await client.PostAsJsonAsync("/api/auth/login", new { username = "researcher", password = AccountsServerFactory.DemoPassword });
            await JsonAssert.StatusAsync(ok, HttpStatusCode.OK);
        }
    }
}
