using LiveClassroom.Server.Persistence;
using LiveClassroom.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace LiveClassroom.Server.Tests.Grains;

/// <summary>A throwaway database with every migration applied, and a data source on it.</summary>
internal sealed class MigratedDatabase : IAsyncDisposable
{
    private MigratedDatabase(TestDatabase database, NpgsqlDataSource dataSource)
    {
        Database = database;
        DataSource = dataSource;
    }

    public TestDatabase Database { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<MigratedDatabase> CreateAsync(string prefix)
    {
        var db = await TestDatabase.CreateAsync(prefix);
        var ds = db.CreateDataSource();
        await new MigrationRunner(ds, NullLogger<MigrationRunner>.Instance).ApplyAsync(MigrationCatalog.Embedded, default);
        return new MigratedDatabase(db, ds);
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task ExecAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await Database.DisposeAsync();
    }
}
