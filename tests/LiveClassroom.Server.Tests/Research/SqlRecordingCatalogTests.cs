using LiveClassroom.Server.Persistence;
using LiveClassroom.Server.Research;
using LiveClassroom.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>The default recording lookup runs against the migrated schema whether or not the library's tables are there yet.</summary>
public sealed class SqlRecordingCatalogTests
{
    [Fact]
    public async Task Lookups_UnknownRecording_NotFoundWithoutError()
    {
        await using var db = await TestDatabase.CreateAsync("rec");
        await using var ds = db.CreateDataSource();
        await new MigrationRunner(ds, NullLogger<MigrationRunner>.Instance).ApplyAsync(MigrationCatalog.Embedded, default);
        var catalog = new SqlRecordingCatalog(ds, NullLogger<SqlRecordingCatalog>.Instance);

        var exists = await catalog.ExistsAsync(Guid.NewGuid(), default);
        var resource = await catalog.ResourceIdAsync(Guid.NewGuid(), default);

        Assert.False(exists);
        Assert.Null(resource);
    }
}
