using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using Npgsql;
using NpgsqlTypes;

namespace LiveClassroom.Server.Persistence.Grains;

/// <summary>Grain state in <c>grain_state</c>: the version and the fencing epoch are both checked in the UPDATE's WHERE clause.</summary>
public sealed class PostgresGrainStateStore(NpgsqlDataSource dataSource) : IGrainStateStore
{
    public async Task<GrainStateRecord> ReadAsync(GrainKey key, long epoch, CancellationToken ct = default)
    {
        // Reading fences: the stored epoch becomes max(stored, ours), so an older owner's writes stop matching.
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO grain_state AS g (kind, id, version, epoch, state) VALUES (@kind, @id, 0, @epoch, NULL)
            ON CONFLICT (kind, id) DO UPDATE SET epoch = greatest(g.epoch, excluded.epoch)
            RETURNING g.state::text, g.version, g.epoch
            """);
        cmd.Parameters.AddWithValue("kind", key.Kind);
        cmd.Parameters.AddWithValue("id", key.Id);
        cmd.Parameters.AddWithValue("epoch", epoch);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new GrainStateRecord(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public async Task<long> WriteAsync(GrainKey key, string stateJson, long expectedVersion, long epoch, CancellationToken ct = default)
    {
        await using (var cmd = dataSource.CreateCommand("""
            UPDATE grain_state SET state = @state, version = version + 1, updated_at = now()
            WHERE kind = @kind AND id = @id AND version = @version AND epoch = @epoch
            RETURNING version
            """))
        {
            cmd.Parameters.AddWithValue("kind", key.Kind);
            cmd.Parameters.AddWithValue("id", key.Id);
            cmd.Parameters.AddWithValue("version", expectedVersion);
            cmd.Parameters.AddWithValue("epoch", epoch);
            cmd.Parameters.Add(new NpgsqlParameter("state", NpgsqlDbType.Jsonb) { Value = stateJson });
            if (await cmd.ExecuteScalarAsync(ct) is long version)
            {
                return version;
            }
        }
        var (storedVersion, storedEpoch) = await CurrentAsync(key, ct);
        throw new GrainStateConflictException(key, expectedVersion, epoch, storedVersion, storedEpoch);
    }

    private async Task<(long Version, long Epoch)> CurrentAsync(GrainKey key, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT version, epoch FROM grain_state WHERE kind = @kind AND id = @id");
        cmd.Parameters.AddWithValue("kind", key.Kind);
        cmd.Parameters.AddWithValue("id", key.Id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, 0);
    }
}
