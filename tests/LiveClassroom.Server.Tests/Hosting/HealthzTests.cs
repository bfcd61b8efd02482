using System.Net;
using System.Text.Json;
using LiveClassroom.Server.Persistence;

namespace LiveClassroom.Server.Tests.Hosting;

public sealed class HealthzTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task Healthz_MigratedDatabase_Returns200WithSchemaVersion()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(MigrationCatalog.LatestVersion, json.RootElement.GetProperty("schemaVersion").GetInt32());
    }
}
