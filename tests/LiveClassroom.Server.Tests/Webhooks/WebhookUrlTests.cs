using LiveClassroom.Server.Webhooks;

namespace LiveClassroom.Server.Tests.Webhooks;

public sealed class WebhookUrlTests
{
    [Theory]
    [InlineData("https://dc.example.cn/hooks/lc", false, null)]
    [InlineData("http://dc.example.cn/hooks/lc", false, "https_required")]
    [InlineData("http://127.0.0.1:8080/hook", false, "https_required")]
    [InlineData("http://127.0.0.1:8080/hook", true, null)]
    [InlineData("http://localhost/hook", true, null)]
    [InlineData("http://10.1.2.3/hook", true, "https_required")]
    [InlineData("ftp://dc.example.cn/", false, "https_required")]
    [InlineData("https://user:pass@dc.example.cn/", false, "invalid_url")]
    [InlineData("/relative/path", false, "invalid_url")]
    [InlineData("", false, "required")]
    public void Problem_Url_AcceptsHttpsAndLoopbackOnlyWhenAllowed(string url, bool allowLoopback, string? expected)
    {
        Assert.Equal(expected, WebhookUrl.Problem(url, allowLoopback));
    }

    [Fact]
    public void HeaderValue_KnownVector_IsHmacSha256OfTimestampDotBody()
    {
        // Expected value computed outside .NET (Python's hmac module) for key, "1700000000." + body.
        var header = WebhookSignature.HeaderValue("whsec_test_secret_0123456789", 1700000000, "{\"type\":\"class.ended\"}"u8);

        Assert.Equal("t=1700000000,v1=8c666f4385eeec894d1e5f909c2d4262d1d06df8b7057b36d3344037328a3495", header);
    }
}
