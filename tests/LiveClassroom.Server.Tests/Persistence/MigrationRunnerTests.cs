using LiveClassroom.Server.Hosting;
using LiveClassroom.Server.Persistence;
using LiveClassroom.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace LiveClassroom.Server.Tests.Persistence;

public sealed class MigrationRunnerTests
{
    private static MigrationRunner Runner(NpgsqlDataSource ds) => new(ds, NullLogger<MigrationRunner>.Instance);

    private static async Task<bool> TableExistsAsync(NpgsqlDataSource ds, string table)
    {
        await using var cmd = ds.CreateCommand($"SELECT to_regclass('{table}') IS NOT NULL");
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource ds, string sql)
    {
        await using var cmd = ds.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Apply_FreshDatabase_AppliesEveryEmbeddedMigration()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var ds = db.CreateDataSource();

        var version = await Runner(ds).ApplyAsync(MigrationCatalog.Embedded, default);

        Assert.Equal(MigrationCatalog.LatestVersion, version);
        Assert.True(MigrationCatalog.LatestVersion >= 1);
        Assert.Equal(MigrationCatalog.Embedded.Count, await CountAsync(ds, "SELECT count(*) FROM schema_migrations"));
        Assert.True(await TableExistsAsync(ds, "organisations"));
        Assert.Equal(MigrationCatalog.LatestVersion, await MigrationRunner.CurrentVersionAsync(ds, default));
    }

    [Fact]
    public async Task Apply_RunTwice_IsIdempotent()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var ds = db.CreateDataSource();
        await Runner(ds).ApplyAsync(MigrationCatalog.Embedded, default);
        var firstAppliedAt = await CountAsync(ds, "SELECT extract(epoch FROM max(applied_at))::bigint FROM schema_migrations");

        var version = await Runner(ds).ApplyAsync(MigrationCatalog.Embedded, default);

        Assert.Equal(MigrationCatalog.LatestVersion, version);
        Assert.Equal(MigrationCatalog.Embedded.Count, await CountAsync(ds, "SELECT count(*) FROM schema_migrations"));
        Assert.Equal(firstAppliedAt, await CountAsync(ds, "SELECT extract(epoch FROM max(applied_at))::bigint FROM schema_migrations"));
    }

    [Fact]
    public async Task Apply_FailureMidMigration_RollsBackThatMigrationAndKeepsEarlierOnes()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var ds = db.CreateDataSource();
        Migration[] migrations =
        [
            new(1, "first", "CREATE TABLE alpha (id int PRIMARY KEY); INSERT INTO alpha VALUES (1);"),
            new(2, "broken", "CREATE TABLE beta (id int); INSERT INTO alpha VALUES (2); SELECT no_such_function();"),
        ];

        var ex = await Assert.ThrowsAsync<StartupException>(() => Runner(ds).ApplyAsync(migrations, default));

        Assert.Contains("0002_broken", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rolled back", ex.Message, StringComparison.Ordinal);
        Assert.False(await TableExistsAsync(ds, "beta"));
        Assert.Equal(1, await CountAsync(ds, "SELECT count(*) FROM alpha"));
        Assert.Equal(1, await MigrationRunner.CurrentVersionAsync(ds, default));
    }

    [Fact]
    public async Task Apply_DatabaseNewerThanCode_RefusesWithClearMessage()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var ds = db.CreateDataSource();
        Migration[] v2 = [new(1, "a", "CREATE TABLE a (id int);"), new(2, "b", "CREATE TABLE b (id int);")];
        await Runner(ds).ApplyAsync(v2, default);

        var ex = await Assert.ThrowsAsync<StartupException>(() => Runner(ds).ApplyAsync(v2[..1], default));

        Assert.Contains("at version 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("only up to 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_AppliedMigrationEdited_Refuses()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var ds = db.CreateDataSource();
        await Runner(ds).ApplyAsync([new(1, "a", "CREATE TABLE a (id int);")], default);

        var ex = await Assert.ThrowsAsync<StartupException>(
            () => Runner(ds).ApplyAsync([new(1, "a", "CREATE TABLE a (id bigint);")], default));

        Assert.Contains("changed after it was applied", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_TwoNodesAtOnce_ApplyEachMigrationOnce()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var ds = db.CreateDataSource();

        var results = await Task.WhenAll(
            Runner(ds).ApplyAsync(MigrationCatalog.Embedded, default),
            Runner(ds).ApplyAsync(MigrationCatalog.Embedded, default));

        Assert.All(results, v => Assert.Equal(MigrationCatalog.LatestVersion, v));
        Assert.Equal(MigrationCatalog.Embedded.Count, await CountAsync(ds, "SELECT count(*) FROM schema_migrations"));
    }
}
