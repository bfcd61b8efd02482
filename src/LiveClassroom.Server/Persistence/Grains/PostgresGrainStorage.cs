using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LiveClassroom.Grains.Rooms;
using LiveClassroom.Server.Operations;
using Npgsql;
using NpgsqlTypes;
using Orleans.Runtime;
using Orleans.Storage;

namespace LiveClassroom.Server.Persistence.Grains;

/// <summary>
/// Orleans grain storage over the project's own <c>grain_state</c> table: one readable JSON document per grain
/// (kind = the pinned grain type, or <see cref="RoomStorage.RowKind"/> for a named section such as a class's chat
/// history; id = the grain's string key), the <c>version</c> column as the ETag. Chosen over
/// Orleans' ADO.NET grain storage because that one stores a hashed key and an opaque payload in its own table; ours
/// keeps rows a person can read with psql, the existing rows and the ids other tables and queries use.
/// Each write's duration and JSON size go to the <c>liveclassroom.grain_state.write.*</c> histograms (by row kind): the
/// write is in every room event's path (RoomGrain.CommitAsync), so its cost is the floor of a hand raise's latency.
/// </summary>
public sealed class PostgresGrainStorage : IGrainStorage
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly Histogram<double>? _writeDuration;
    private readonly Histogram<long>? _writeSize;

    /// <param name="meters">Null: no write figures (the grain test host).</param>
    public PostgresGrainStorage(NpgsqlDataSource dataSource, IMeterFactory? meters = null)
    {
        _dataSource = dataSource;
        if (meters is not null)
        {
            var meter = meters.Create(ServerMetrics.MeterName);
            _writeDuration = meter.CreateHistogram("liveclassroom.grain_state.write.duration", "s",
                "Grain state writes on this node: serialising the state and the database's answer, by row kind",
                advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1] });
            _writeSize = meter.CreateHistogram<long>("liveclassroom.grain_state.write.size", "By",
                "Size of each grain state written on this node (its JSON, UTF-8), by row kind",
                advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144] });
        }
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        await using var cmd = _dataSource.CreateCommand("SELECT state::text, version FROM grain_state WHERE kind = @kind AND id = @id AND state IS NOT NULL");
        cmd.Parameters.AddWithValue("kind", RoomStorage.RowKind(grainId.Type.ToString()!, stateName));
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
        var started = Stopwatch.GetTimestamp();
        var json = JsonSerializer.Serialize(grainState.State, GrainJson.Options);
        var expected = grainState.ETag is null ? 0 : long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        // A first write inserts (or takes over a row with no state); later writes need the version they read.
        await using var cmd = _dataSource.CreateCommand("""
            INSERT INTO grain_state AS g (kind, id, version, state) VALUES (@kind, @id, 1, @state)
            ON CONFLICT (kind, id) DO UPDATE SET state = excluded.state, version = g.version + 1, updated_at = now()
                WHERE g.version = @expected OR (@expected = 0 AND g.state IS NULL)
            RETURNING g.version
            """);
        cmd.Parameters.AddWithValue("kind", RoomStorage.RowKind(grainId.Type.ToString()!, stateName));
        cmd.Parameters.AddWithValue("id", grainId.Key.ToString()!);
        cmd.Parameters.AddWithValue("expected", expected);
        cmd.Parameters.Add(new NpgsqlParameter("state", NpgsqlDbType.Jsonb) { Value = json });
        if (await cmd.ExecuteScalarAsync() is not long version)
        {
            throw new InconsistentStateException($"state of {grainId} changed underneath (expected version {expected})", string.Empty, grainState.ETag ?? "0");
        }
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        if (_writeDuration is not null)
        {
            var kind = new KeyValuePair<string, object?>("kind", RoomStorage.RowKind(grainId.Type.ToString()!, stateName));
            _writeDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, kind);
            _writeSize!.Record(Encoding.UTF8.GetByteCount(json), kind);
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        await using var cmd = _dataSource.CreateCommand("DELETE FROM grain_state WHERE kind = @kind AND id = @id");
        cmd.Parameters.AddWithValue("kind", RoomStorage.RowKind(grainId.Type.ToString()!, stateName));
        cmd.Parameters.AddWithValue("id", grainId.Key.ToString()!);
        await cmd.ExecuteNonQueryAsync();
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }
}
