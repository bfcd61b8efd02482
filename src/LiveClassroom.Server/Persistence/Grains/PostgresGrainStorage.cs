using System.Globalization;
using System.Text.Json;
using LiveClassroom.Grains.Rooms;
using Npgsql;
using NpgsqlTypes;
using Orleans.Runtime;
using Orleans.Storage;

namespace LiveClassroom.Server.Persistence.Grains;

/// <summary>
/// Orleans grain storage over the project's own <c>grain_state</c> table: one readable JSON document per grain
/// (kind = the pinned grain type, id = the grain's string key), the <c>version</c> column as the ETag. Chosen over
/// Orleans' ADO.NET grain storage because that one stores a hashed key and an opaque payload in its own table; ours
/// keeps rows a person can read with psql, the existing rows and the ids other tables and queries use.
/// </summary>
public sealed class PostgresGrainStorage(NpgsqlDataSource dataSource) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        await using var cmd = dataSource.CreateCommand("SELECT state::text, version FROM grain_state WHERE kind = @kind AND id = @id AND state IS NOT NULL");
        cmd.Parameters.AddWithValue("kind", grainId.Type.ToString()!);
        cmd.Parameters.AddWithValue("id", grainId.Key.ToString()!);
        await using var reader = await cmd.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            grainState.State = JsonSerializer.Deserialize<T>(reader.GetString(0), GrainJson.Options) ?? Activator.CreateInstance<T>();
            grainState.ETag = reader.GetInt64(1).ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var json = JsonSerializer.Serialize(grainState.State, GrainJson.Options);
        var expected = grainState.ETag is null ? 0 : long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        // A first write inserts (or takes over a row with no state); later writes need the version they read.
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO grain_state AS g (kind, id, version, state) VALUES (@kind, @id, 1, @state)
            ON CONFLICT (kind, id) DO UPDATE SET state = excluded.state, version = g.version + 1, updated_at = now()
                WHERE g.version = @expected OR (@expected = 0 AND g.state IS NULL)
            RETURNING g.version
            """);
        cmd.Parameters.AddWithValue("kind", grainId.Type.ToString()!);
        cmd.Parameters.AddWithValue("id", grainId.Key.ToString()!);
        cmd.Parameters.AddWithValue("expected", expected);
        cmd.Parameters.Add(new NpgsqlParameter("state", NpgsqlDbType.Jsonb) { Value = json });
        if (await cmd.ExecuteScalarAsync() is not long version)
        {
            throw new InconsistentStateException($"state of {grainId} changed underneath (expected version {expected})", string.Empty, grainState.ETag ?? "0");
        }
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        await using var cmd = dataSource.CreateCommand("DELETE FROM grain_state WHERE kind = @kind AND id = @id");
        cmd.Parameters.AddWithValue("kind", grainId.Type.ToString()!);
        cmd.Parameters.AddWithValue("id", grainId.Key.ToString()!);
        await cmd.ExecuteNonQueryAsync();
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }
}
