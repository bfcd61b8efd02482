using System.Net;
using System.Text.Json;
using LiveClassroom.Media;
using LiveClassroom.Server.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Hosting;

/// <summary>/healthz/live and /healthz/ready as orchestrators read them; each case runs on a server of its own.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Ready_DatabaseAtSchemaAndMediaBound_Returns200()
    {
        await WithServerAsync(async (factory, client) =>
        {
            using var live = await client.GetAsync("/healthz/live");
            using var ready = await client.GetAsync("/healthz/ready");

            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            using var json = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
            Assert.Equal("ready", json.RootElement.GetProperty("status").GetString());
            Assert.Equal("bound", json.RootElement.GetProperty("media").GetString());
            Assert.Equal(MigrationCatalog.LatestVersion, json.RootElement.GetProperty("schemaVersion").GetInt32());
        });
    }

    [Fact]
    public async Task Ready_MediaSocketClosed_Returns503WhileLiveAndHealthzStay200()
    {
        await WithServerAsync(async (factory, client) =>
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);

            factory.Services.GetRequiredService<MediaServer>().Dispose();

            using var ready = await client.GetAsync("/healthz/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            using var json = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
            Assert.Equal("unbound", json.RootElement.GetProperty("media").GetString());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        });
    }

    [Fact]
    public async Task Ready_SchemaBehindTheBuild_Returns503NamingBothVersions()
    {
        await WithServerAsync(async (factory, client) =>
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);
            await using (var db = factory.Database.CreateDataSource())
            {
                await using var cmd = db.CreateCommand("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)");
                await cmd.ExecuteNonQueryAsync();
            }

            using var ready = await client.GetAsync("/healthz/ready");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            using var json = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
            // The version before the latest, not latest − 1: numbers are reserved per branch, so gaps are allowed.
            Assert.Equal(MigrationCatalog.Embedded[^2].Version, json.RootElement.GetProperty("schemaVersion").GetInt32());
            Assert.Equal(MigrationCatalog.LatestVersion, json.RootElement.GetProperty("expectedSchemaVersion").GetInt32());
            Assert.Equal("bound", json.RootElement.GetProperty("media").GetString());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
        });
    }

    private static async Task WithServerAsync(Func<ServerFactory, HttpClient, Task> test)
    {
        var factory = new ServerFactory();
        await ((IAsyncLifetime)factory).InitializeAsync();
        try
        {
            using var client = factory.CreateClient();
            await test(factory, client);
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }
}
