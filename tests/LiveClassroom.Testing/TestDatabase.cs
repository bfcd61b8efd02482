using Npgsql;

namespace LiveClassroom.Testing;

/// <summary>
/// A throwaway PostgreSQL database on the test cluster that scripts/test.sh starts
/// (<c>LIVECLASSROOM_TEST_PG</c>); dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string AdminVariable = "LIVECLASSROOM_TEST_PG";

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(AdminVariable) is { Length: > 0 } s
            ? s
            : throw new InvalidOperationException(
                $"{AdminVariable} is not set: run the tests with scripts/test.sh, which starts a throwaway PostgreSQL cluster");

    public static async Task<TestDatabase> CreateAsync(string prefix = "t")
    {
        var name = $"lc_{prefix.ToLowerInvariant()}_{Guid.NewGuid():N}";
        name = name.Length > 60 ? name[..60] : name;
        await using (var conn = new NpgsqlConnection(AdminConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true };
        return new TestDatabase(name, builder.ConnectionString);
    }

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(AdminConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
