using LiveClassroom.Server.Hosting;
using Npgsql;

namespace LiveClassroom.Server.Persistence;

/// <summary>
/// Applies ordered SQL migrations, each in its own transaction, recorded in <c>schema_migrations</c>.
/// A session advisory lock serialises nodes that start together against one database.
/// </summary>
public sealed partial class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    // Arbitrary but fixed: "LCMIGRAT" as ASCII, so every node takes the same lock.
    private const long AdvisoryLockKey = 0x4C434D4947524154;

    public async Task<int> ApplyAsync(IReadOnlyList<Migration> migrations, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await ExecAsync(conn, "SELECT pg_advisory_lock(@k)", ct, ("k", AdvisoryLockKey));
        try
        {
            await ExecAsync(conn, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, ct);
            var applied = await ReadAppliedAsync(conn, ct);
            var known = migrations.Count == 0 ? 0 : migrations[^1].Version;
            var current = applied.Count == 0 ? 0 : applied.Keys.Max();
            if (current > known)
            {
                throw new StartupException(
                    $"the database schema is at version {current} but this build knows only up to {known}; upgrade LiveClassroom before starting it against this database");
            }
            foreach (var m in migrations)
            {
                if (applied.TryGetValue(m.Version, out var checksum))
                {
                    if (checksum != m.Checksum)
                    {
                        throw new StartupException(
                            $"migration {m.Version:D4}_{m.Name} was changed after it was applied; add a new migration instead of editing an applied one");
                    }
                    continue;
                }
                await ApplyOneAsync(conn, m, ct);
                current = m.Version;
            }
            return current;
        }
        finally
        {
            if (conn.State == System.Data.ConnectionState.Open)
            {
                await ExecAsync(conn, "SELECT pg_advisory_unlock(@k)", CancellationToken.None, ("k", AdvisoryLockKey));
            }
        }
    }

    /// <summary>The highest applied version, or 0 for an empty database.</summary>
    public static async Task<int> CurrentVersionAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE (SELECT coalesce(max(version), 0) FROM schema_migrations) END");
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task ApplyOneAsync(NpgsqlConnection conn, Migration m, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            await using (var cmd = new NpgsqlCommand(m.Sql, conn, tx))
            {
                await cmd.ExecuteNonQueryAsync(ct);
            }
            await using (var rec = new NpgsqlCommand(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (@v, @n, @c)", conn, tx))
            {
                rec.Parameters.AddWithValue("v", m.Version);
                rec.Parameters.AddWithValue("n", m.Name);
                rec.Parameters.AddWithValue("c", m.Checksum);
                await rec.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            LogApplied(logger, m.Version, m.Name);
        }
        catch (PostgresException ex)
        {
            await tx.RollbackAsync(CancellationToken.None);
            throw new StartupException(
                $"migration {m.Version:D4}_{m.Name} failed and was rolled back: {ex.SqlState} {ex.MessageText}", ex);
        }
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var result = new Dictionary<int, string>();
        await using var cmd = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[reader.GetInt32(0)] = reader.GetString(1);
        }
        return result;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct, params (string Name, object Value)[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version:D4}_{Name}")]
    private static partial void LogApplied(ILogger logger, int version, string name);
}
