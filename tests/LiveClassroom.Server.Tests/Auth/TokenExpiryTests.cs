using System.Net;

namespace LiveClassroom.Server.Tests.Auth;

public sealed class TokenExpiryTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    [Fact]
    public async Task Me_TokenPastItsLifetime_Returns401()
    {
        using var client = factory.WithToken(await factory.LoginAsync("teacher"));
        using (var fresh = await client.GetAsync("/api/me"))
        {
            await JsonAssert.StatusAsync(fresh, HttpStatusCode.OK);
        }

        factory.Clock.Advance(TimeSpan.FromHours(11.9));
        using (var nearlyExpired = await client.GetAsync("/api/me"))
        {
            await JsonAssert.StatusAsync(nearlyExpired, HttpStatusCode.OK);
        }

        factory.Clock.Advance(TimeSpan.FromHours(0.2));
        using var expired = await client.GetAsync("/api/me");
        await JsonAssert.ErrorAsync(expired, HttpStatusCode.Unauthorized, "unauthorized");
    }
}
