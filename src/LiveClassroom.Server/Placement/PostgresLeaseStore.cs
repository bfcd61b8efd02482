using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using Npgsql;

namespace LiveClassroom.Server.Placement;

/// <summary>
/// Room leases in <c>room_leases</c>. Acquisition is one statement (insert, or take over an expired lease or our own,
/// raising the epoch); expiry uses the database clock so nodes' clocks need not agree.
/// </summary>
public sealed class PostgresLeaseStore(NpgsqlDataSource dataSource) : IGrainLeaseStore
{
    public async Task<LeaseAcquisition> TryAcquireAsync(GrainKey key, string nodeId, string nodeUrl, TimeSpan duration, CancellationToken ct = default)
    {
        // A lost race against an expiry that happens between the two statements just tries again.
        for (var attempt = 0; ; attempt++)
        {
            await using (var cmd = dataSource.CreateCommand("""
                INSERT INTO room_leases AS l (kind, id, owner_node, owner_url, expires_at, epoch)
                VALUES (@kind, @id, @node, @url, now() + @duration, 1)
                ON CONFLICT (kind, id) DO UPDATE
                    SET owner_node = excluded.owner_node, owner_url = excluded.owner_url,
                        expires_at = excluded.expires_at, epoch = l.epoch + 1, acquired_at = now()
                    WHERE l.expires_at <= now() OR l.owner_node = excluded.owner_node
                RETURNING l.epoch, l.expires_at
                """))
            {
                AddKey(cmd, key);
                cmd.Parameters.AddWithValue("node", nodeId);
                cmd.Parameters.AddWithValue("url", nodeUrl);
                cmd.Parameters.AddWithValue("duration", duration);
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                if (await reader.ReadAsync(ct))
                {
                    return new LeaseAcquisition(true, reader.GetInt64(0), nodeId, nodeUrl, reader.GetFieldValue<DateTimeOffset>(1));
                }
            }
            await using (var cmd = dataSource.CreateCommand(
                "SELECT owner_node, owner_url, expires_at, epoch FROM room_leases WHERE kind = @kind AND id = @id AND expires_at > now()"))
            {
                AddKey(cmd, key);
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                if (await reader.ReadAsync(ct))
                {
                    return new LeaseAcquisition(false, reader.GetInt64(3), reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
                }
            }
            if (attempt >= 2)
            {
                throw new GrainUnavailableException($"the lease of {key} kept changing hands; try again");
            }
        }
    }

    public async Task<bool> RenewAsync(GrainKey key, string nodeId, long epoch, TimeSpan duration, CancellationToken ct = default)
    {
        // Matching the epoch is what makes renewal safe even after expiry: a takeover would have raised it.
        await using var cmd = dataSource.CreateCommand("""
            UPDATE room_leases SET expires_at = now() + @duration
            WHERE kind = @kind AND id = @id AND owner_node = @node AND epoch = @epoch
            """);
        AddKey(cmd, key);
        cmd.Parameters.AddWithValue("node", nodeId);
        cmd.Parameters.AddWithValue("epoch", epoch);
        cmd.Parameters.AddWithValue("duration", duration);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task ReleaseAsync(GrainKey key, string nodeId, long epoch, CancellationToken ct = default)
    {
        await using var cmd = dataSource.CreateCommand("""
            UPDATE room_leases SET expires_at = now()
            WHERE kind = @kind AND id = @id AND owner_node = @node AND epoch = @epoch
            """);
        AddKey(cmd, key);
        cmd.Parameters.AddWithValue("node", nodeId);
        cmd.Parameters.AddWithValue("epoch", epoch);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void AddKey(NpgsqlCommand cmd, GrainKey key)
    {
        cmd.Parameters.AddWithValue("kind", key.Kind);
        cmd.Parameters.AddWithValue("id", key.Id);
    }
}
