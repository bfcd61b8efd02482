using System.Security.Cryptography;
using LiveClassroom.Server.Apis.Contracts;
using Npgsql;

namespace LiveClassroom.Server.Persistence;

/// <summary>Classroom devices and their pairing requests in PostgreSQL.</summary>
public sealed class DeviceStore(NpgsqlDataSource dataSource)
{
    /// <summary>No 0/O, 1/I/L: read off a projector across a classroom.</summary>
    public const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    public const int CodeLength = 6;

    // Advisory lock class for counting pairing requests per address (see LoginThrottle for the login classes).
    private const int PairingAddressLock = 0x4C6F6703;

    private const string DeviceColumns = """
        d.id, d.name, d.classroom_id, c.name, d.school_id, s.name, d.paired_at, d.paired_by, p.display_name, d.last_seen_at, d.revoked_at
        FROM classroom_devices d
        JOIN classrooms c ON c.id = d.classroom_id
        JOIN organisations s ON s.id = d.school_id
        LEFT JOIN people p ON p.id = d.paired_by
        """;

    /// <summary>
    /// Creates a pending request unless <paramref name="clientIp"/> already made <paramref name="limitPerIp"/> in the
    /// last ten minutes; then it returns how long to wait instead. Counted and inserted under an advisory lock on the
    /// address, so parallel requests on any number of nodes cannot overrun the limit.
    /// </summary>
    public async Task<PairingRequestCreation> CreatePairingRequestAsync(
        string clientIp, int limitPerIp, byte[] pollTokenHash, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken ct)
    {
        var window = TimeSpan.FromMinutes(10);
        await using (var expire = dataSource.CreateCommand(
            "UPDATE device_pairing_requests SET status = 'expired' WHERE status = 'pending' AND expires_at <= @now"))
        {
            expire.Parameters.AddWithValue("now", now);
            await expire.ExecuteNonQueryAsync(ct);
        }
        for (var attempt = 0; ; attempt++)
        {
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using (var count = new NpgsqlCommand("""
                SELECT pg_advisory_xact_lock(@lock, hashtext(@ip));
                SELECT created_at FROM device_pairing_requests WHERE client_ip = @ip AND created_at > @since
                ORDER BY created_at DESC OFFSET @limit - 1 LIMIT 1
                """, conn, tx))
            {
                count.Parameters.AddWithValue("lock", PairingAddressLock);
                count.Parameters.AddWithValue("ip", clientIp);
                count.Parameters.AddWithValue("since", now - window);
                count.Parameters.AddWithValue("limit", Math.Max(1, limitPerIp));
                await using var reader = await count.ExecuteReaderAsync(ct);
                await reader.NextResultAsync(ct);
                if (await reader.ReadAsync(ct) && reader.GetFieldValue<DateTimeOffset>(0) + window - now is { } wait && wait > TimeSpan.Zero)
                {
                    return new PairingRequestCreation(Guid.Empty, "", wait);
                }
            }
            var id = Guid.CreateVersion7();
            var code = RandomNumberGenerator.GetString(CodeAlphabet, CodeLength);
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO device_pairing_requests (id, code, poll_token_hash, status, client_ip, created_at, expires_at)
                VALUES (@id, @code, @hash, 'pending', @ip, @now, @exp)
                """, conn, tx);
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("code", code);
            cmd.Parameters.AddWithValue("hash", pollTokenHash);
            cmd.Parameters.AddWithValue("ip", clientIp);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("exp", expiresAt);
            try
            {
                await cmd.ExecuteNonQueryAsync(ct);
                await tx.CommitAsync(ct);
                return new PairingRequestCreation(id, code, null);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && attempt < 8)
            {
                // Another live request holds this code: draw again in a fresh transaction.
            }
        }
    }

    /// <summary>The request's state for its poller, or null for an unknown id or a wrong poll token.</summary>
    public async Task<PairingPoll?> PollAsync(Guid requestId, byte[] pollTokenHash, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        string status;
        DateTimeOffset expiresAt;
        Guid? deviceId;
        await using (var cmd = new NpgsqlCommand(
            "SELECT status, poll_token_hash, expires_at, device_id FROM device_pairing_requests WHERE id = @id FOR UPDATE", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", requestId);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct) || !CryptographicOperations.FixedTimeEquals(reader.GetFieldValue<byte[]>(1), pollTokenHash))
            {
                return null;
            }
            status = reader.GetString(0);
            expiresAt = reader.GetFieldValue<DateTimeOffset>(2);
            deviceId = reader.IsDBNull(3) ? null : reader.GetGuid(3);
        }
        PairingPoll result;
        if (status == "pending" && expiresAt <= now)
        {
            await SetStatusAsync(conn, tx, requestId, "expired", ct);
            result = new PairingPoll("expired", expiresAt, null, null);
        }
        else if (status == "confirmed" && deviceId is { } device)
        {
            await SetStatusAsync(conn, tx, requestId, "collected", ct);
            var (self, tokenId) = await SelfWithTokenAsync(conn, tx, device, ct) ?? throw new InvalidOperationException("confirmed pairing without its device");
            result = new PairingPoll("confirmed", expiresAt, self, tokenId);
        }
        else
        {
            result = new PairingPoll(status, expiresAt, null, null);
        }
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>Uses a pending, unexpired code to pair a new device into <paramref name="classroom"/>.</summary>
    public async Task<PairingConfirmation> ConfirmAsync(
        string code, ClassroomRecord classroom, string name, Guid actorId, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        Guid requestId;
        await using (var cmd = new NpgsqlCommand(
            "SELECT id FROM device_pairing_requests WHERE code = @code AND status = 'pending' AND expires_at > @now FOR UPDATE", conn, tx))
        {
            cmd.Parameters.AddWithValue("code", code);
            cmd.Parameters.AddWithValue("now", now);
            if (await cmd.ExecuteScalarAsync(ct) is not Guid found)
            {
                return new PairingConfirmation(null);
            }
            requestId = found;
        }
        var deviceId = Guid.CreateVersion7();
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO classroom_devices (id, classroom_id, school_id, name, token_id, paired_by, paired_at)
            VALUES (@id, @classroom, @school, @name, @jti, @by, @now)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", deviceId);
            cmd.Parameters.AddWithValue("classroom", classroom.Id);
            cmd.Parameters.AddWithValue("school", classroom.SchoolId);
            cmd.Parameters.AddWithValue("name", name);
            cmd.Parameters.AddWithValue("jti", Guid.NewGuid());
            cmd.Parameters.AddWithValue("by", actorId);
            cmd.Parameters.AddWithValue("now", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await using (var cmd = new NpgsqlCommand("""
            UPDATE device_pairing_requests SET status = 'confirmed', confirmed_by = @by, confirmed_at = @now, device_id = @device
            WHERE id = @id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", requestId);
            cmd.Parameters.AddWithValue("by", actorId);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("device", deviceId);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await AuditLog.WriteAsync(conn, tx, now, actorId, "device.pair", "device", deviceId, classroom.SchoolId,
            new { name, classroomId = classroom.Id, classroomName = classroom.Name }, ct);
        var view = (await ReadDevicesAsync(conn, tx, "d.id = @id", ("id", deviceId), ct))[0];
        await tx.CommitAsync(ct);
        return new PairingConfirmation(view);
    }

    public async Task<DeviceView?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var list = await ReadDevicesAsync(conn, null, "d.id = @id", ("id", id), ct);
        return list.Count == 0 ? null : list[0];
    }

    public async Task<IReadOnlyList<DeviceView>> ListAsync(IReadOnlyList<Guid> schoolIds, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await ReadDevicesAsync(conn, null, "d.school_id = ANY(@schools)", ("schools", schoolIds.ToArray()), ct);
    }

    public async Task<DeviceSelfView?> GetSelfAsync(Guid deviceId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await SelfWithTokenAsync(conn, null, deviceId, ct))?.Self;
    }

    /// <summary>Revokes the device (idempotent) and returns its token id, which the caller adds to the revocation set.</summary>
    public async Task<Guid?> RevokeAsync(Guid deviceId, Guid actorId, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            UPDATE classroom_devices SET revoked_at = @now, revoked_by = @by WHERE id = @id AND revoked_at IS NULL
            RETURNING token_id, school_id, name
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", deviceId);
        cmd.Parameters.AddWithValue("by", actorId);
        cmd.Parameters.AddWithValue("now", now);
        Guid tokenId, schoolId;
        string name;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }
            (tokenId, schoolId, name) = (reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2));
        }
        await AuditLog.WriteAsync(conn, tx, now, actorId, "device.revoke", "device", deviceId, schoolId, new { name }, ct);
        await tx.CommitAsync(ct);
        return tokenId;
    }

    private static async Task<(DeviceSelfView Self, Guid TokenId)?> SelfWithTokenAsync(
        NpgsqlConnection conn, NpgsqlTransaction? tx, Guid deviceId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT d.id, d.name, d.classroom_id, c.name, d.school_id, s.name, d.token_id
            FROM classroom_devices d JOIN classrooms c ON c.id = d.classroom_id JOIN organisations s ON s.id = d.school_id
            WHERE d.id = @id
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", deviceId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        return (new DeviceSelfView(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3), reader.GetGuid(4), reader.GetString(5)),
            reader.GetGuid(6));
    }

    private static async Task<List<DeviceView>> ReadDevicesAsync(
        NpgsqlConnection conn, NpgsqlTransaction? tx, string where, (string Name, object Value) arg, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {DeviceColumns} WHERE {where} ORDER BY s.name, c.name, d.paired_at", conn, tx);
        cmd.Parameters.AddWithValue(arg.Name, arg.Value);
        var list = new List<DeviceView>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new DeviceView(
                reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetString(3), reader.GetGuid(4), reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(8) ? null : new PersonRef(reader.GetGuid(7), reader.GetString(8)),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10)));
        }
        return list;
    }

    private static async Task SetStatusAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, string status, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("UPDATE device_pairing_requests SET status = @s WHERE id = @id", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("s", status);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
