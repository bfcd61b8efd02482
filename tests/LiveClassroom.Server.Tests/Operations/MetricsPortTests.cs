using System.Net;
using LiveClassroom.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LiveClassroom.Server.Tests.Operations;

/// <summary>With <c>Metrics:Port</c> set, /metrics answers on that port only, without a token, and not on the main port.</summary>
public sealed class MetricsPortTests(MetricsPortTests.Factory factory) : IClassFixture<MetricsPortTests.Factory>
{
    private const int Port = 19464;

    [Fact]
    public async Task Metrics_OnTheMetricsPort_AnswerWithoutToken()
    {
        using var scraper = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"http://localhost:{Port}") });

        using var response = await scraper.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("liveclassroom_sfu_rooms", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_OnTheMainPort_AreNotServed_AnonymousGets401()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/metrics");

        // No endpoint matches: an anonymous caller meets the fallback policy (401), a signed-in one 404; never the figures.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("liveclassroom_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public sealed class Factory : WebApplicationFactory<Program>, IAsyncLifetime
    {
        private TestDatabase? _db;

        public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync("met");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Database:ConnectionString", _db!.ConnectionString);
            builder.UseOwnCluster();
            builder.UseSetting("Seed:DemoPassword", "demo-password-for-tests");
            builder.UseSetting("Logging:Console:FormatterName", "simple");
            builder.UseSetting("Media:UdpPort", "0");
            builder.UseSetting("Media:PublicAddresses", "127.0.0.1");
            builder.UseSetting("Metrics:Port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        async Task IAsyncLifetime.DisposeAsync()
        {
            await DisposeAsync();
            if (_db is not null)
            {
                await _db.DisposeAsync();
            }
        }
    }
}
