using LiveClassroom.Server.Hosting;
using System.Collections.Concurrent;
using Npgsql;

namespace LiveClassroom.Server.Auth;

/// <summary>Records when a device was last seen, writing to the database at most once a minute per device and node.</summary>
public sealed class DeviceActivity(NpgsqlDataSource dataSource, ServerClock time)
{
    private static readonly TimeSpan WriteInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastWritten = new();

    public async Task TouchAsync(Guid deviceId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_lastWritten.TryGetValue(deviceId, out var last) && now - last < WriteInterval)
        {
            return;
        }
        _lastWritten[deviceId] = now;
        await using var cmd = dataSource.CreateCommand(
            "UPDATE classroom_devices SET last_seen_at = @now WHERE id = @id AND (last_seen_at IS NULL OR last_seen_at < @now)");
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("id", deviceId);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
