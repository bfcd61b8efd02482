using System.Net;

namespace LiveClassroom.Server.Tests.Apis;

public sealed class PairingRateLimitTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    [Fact]
    public async Task CreatePairingRequest_TwentyFromOneAddress_TheNextIs429()
    {
        using var client = factory.Anonymous();
        for (var i = 0; i < 20; i++)
        {
            using var ok = await client.PostAsync("/api/devices/pairing-requests", null);
            await JsonAssert.StatusAsync(ok, HttpStatusCode.Created);
        }

        using var limited = await client.PostAsync("/api/devices/pairing-requests", null);

        var json = await JsonAssert.ErrorAsync(limited, HttpStatusCode.TooManyRequests, "too_many_attempts");
        Assert.InRange(json.GetProperty("retryAfterSeconds").GetInt32(), 1, 600);
        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        await JsonAssert.StatusAsync(await client.PostAsync("/api/devices/pairing-requests", null), HttpStatusCode.Created);
    }
}
