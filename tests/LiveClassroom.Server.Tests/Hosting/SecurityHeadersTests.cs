using System.Net;

namespace LiveClassroom.Server.Tests.Hosting;

public sealed class SecurityHeadersTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    [Theory]
    [InlineData("/login")]
    [InlineData("/console/some-class")]
    [InlineData("/favicon.ico")]
    [InlineData("/healthz")]
    [InlineData("/api/me")]
    [InlineData("/api/no-such-endpoint")]
    public async Task AnyResponse_PageAssetOrApi_CarriesTheSecurityHeaders(string path)
    {
        using var client = factory.Anonymous();

        using var response = await client.GetAsync(path);

        var csp = Single(response, "Content-Security-Policy");
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToArray());
        Assert.Equal(["'self'"], directives["script-src"]);
        Assert.Equal(["'self'"], directives["default-src"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'none'"], directives["object-src"]);
        Assert.Equal(["'none'"], directives["base-uri"]);
        Assert.Equal(["'self'", "ws://localhost", "wss://localhost"], directives["connect-src"]);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task ContentSecurityPolicy_HostHeaderThatIsNotAHost_IsLeftOutOfConnectSrc()
    {
        using var client = factory.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.TryAddWithoutValidation("Host", "evil.example; script-src *");

        using var response = await client.SendAsync(request);

        var csp = Single(response, "Content-Security-Policy");
        Assert.DoesNotContain("evil", csp, StringComparison.Ordinal);
        Assert.EndsWith("connect-src 'self'", csp, StringComparison.Ordinal);
    }

    private static string Single(HttpResponseMessage response, string name)
    {
        Assert.True(response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values),
            $"{name} missing on {(int)response.StatusCode} {response.RequestMessage?.RequestUri}");
        return Assert.Single(values);
    }
}
