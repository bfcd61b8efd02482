using System.Net;

namespace LiveClassroom.Server.Tests.Auth;

/// <summary>
/// The three login limits (docs/API.md, "Auth"): 5 failures per (username, address), 20 per username from anywhere,
/// 300 per address, each within 5 minutes; an attempt is reserved before its password is checked. Each test uses its
/// own usernames and addresses, so they share one server.
/// </summary>
public sealed class LoginAttemptLimitTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    [Fact]
    public async Task Login_FortyParallelWrongPasswords_VerifiesExactlyTheLimitAndRefusesTheRest()
    {
        using var client = factory.Anonymous();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            using var request = TestPeerAddress.Login("assistant1", $"wrong-password-{i}", "192.0.2.10");
            return await client.SendAsync(request);
        }));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(35, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        foreach (var limited in responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests))
        {
            Assert.InRange(limited.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 300);
        }
        foreach (var r in responses)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task Login_SchoolBehindOneAddressWithManyTypos_OtherAccountsStillLogIn()
    {
        using var client = factory.Anonymous();
        const string school = "198.51.100.7";
        // One teacher mistypes ten times: five are checked, then that teacher (only) must wait.
        for (var i = 0; i < 10; i++)
        {
            using var typo = await client.SendAsync(TestPeerAddress.Login("teacher", $"typo-{i}-password", school));
            Assert.Equal(i < 5 ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests, typo.StatusCode);
        }
        // The rest of the school has a bad morning too: 35 more failures from the same NAT address.
        for (var i = 0; i < 35; i++)
        {
            using var failed = await client.SendAsync(TestPeerAddress.Login($"colleague{i / 5}", $"typo-{i}-password", school));
            await JsonAssert.ErrorAsync(failed, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using var other = await client.SendAsync(TestPeerAddress.Login("schooladmin", AccountsServerFactory.DemoPassword, school));
        await JsonAssert.StatusAsync(other, HttpStatusCode.OK);
        using var mistyper = await client.SendAsync(TestPeerAddress.Login("teacher", AccountsServerFactory.DemoPassword, school));
        await JsonAssert.ErrorAsync(mistyper, HttpStatusCode.TooManyRequests, "too_many_attempts");
    }

    [Fact]
    public async Task Login_LockedForOneAddress_SameAccountFromAnotherAddressStillLogsIn()
    {
        using var client = factory.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            using var failed = await client.SendAsync(TestPeerAddress.Login("assistant2", $"wrong-{i}-password", "192.0.2.20"));
            await JsonAssert.ErrorAsync(failed, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        // Even the right password is not checked from the locked address…
        using var locked = await client.SendAsync(TestPeerAddress.Login("assistant2", AccountsServerFactory.DemoPassword, "192.0.2.20"));
        var json = await JsonAssert.ErrorAsync(locked, HttpStatusCode.TooManyRequests, "too_many_attempts");
        Assert.Equal(json.GetProperty("retryAfterSeconds").GetInt32(), (int)locked.Headers.RetryAfter!.Delta!.Value.TotalSeconds);
        // …but the account is not locked out from everywhere by someone else's guesses.
        using var elsewhere = await client.SendAsync(TestPeerAddress.Login("assistant2", AccountsServerFactory.DemoPassword, "192.0.2.21"));
        await JsonAssert.StatusAsync(elsewhere, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Login_OneAccountGuessedFromManyAddresses_RefusedEverywhereAtTwentyUntilTheWindowPasses()
    {
        using var client = factory.Anonymous();
        for (var i = 0; i < 20; i++)
        {
            using var failed = await client.SendAsync(TestPeerAddress.Login("researcher", $"guess-{i}-password", $"203.0.113.{10 + (i / 2)}"));
            await JsonAssert.ErrorAsync(failed, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using var limited = await client.SendAsync(TestPeerAddress.Login("researcher", AccountsServerFactory.DemoPassword, "203.0.113.200"));
        await JsonAssert.ErrorAsync(limited, HttpStatusCode.TooManyRequests, "too_many_attempts");
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        using var later = await client.SendAsync(TestPeerAddress.Login("researcher", AccountsServerFactory.DemoPassword, "203.0.113.200"));
        await JsonAssert.StatusAsync(later, HttpStatusCode.OK);
    }
}
