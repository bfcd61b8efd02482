using LiveClassroom.Server.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LiveClassroom.Server.Auth;

/// <summary>
/// Limits password guessing, counting attempts in PostgreSQL so every node sees the same count. Three limits, each
/// over <see cref="AccountOptions.LoginWindowMinutes"/>: per (username, client address) — the one a teacher who
/// mistypes hits; per username from any address — guessing one account from many addresses; and per address over
/// all usernames, high enough for a whole school behind one NAT. A username's counts restart after a successful
/// login.
/// <para>
/// An attempt is reserved (recorded as a failure) before its password is verified, under advisory locks on the
/// username and the address, so parallel attempts on any number of nodes cannot verify more passwords than the
/// limits allow; a verified password turns its reservation into a success.
/// </para>
/// </summary>
public sealed class LoginThrottle(NpgsqlDataSource dataSource, IOptions<AccountOptions> options, ServerClock time)
{
    // Advisory lock classes (pg_advisory_xact_lock(class, key)): a username and an address never share a lock.
    private const int UsernameLock = 0x4C6F6701;
    private const int AddressLock = 0x4C6F6702;

    /// <summary>Reserves one attempt: its id, or how long to wait when a limit is reached (nothing is recorded then).</summary>
    public async Task<LoginReservation> ReserveAsync(string username, string clientIp, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var window = TimeSpan.FromMinutes(o.LoginWindowMinutes);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Always username first, then address: two reservations never wait on each other in opposite order.
        await using (var lockCmd = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock(@ul, hashtext(@u)), pg_advisory_xact_lock(@al, hashtext(@ip))", conn, tx))
        {
            lockCmd.Parameters.AddWithValue("ul", UsernameLock);
            lockCmd.Parameters.AddWithValue("al", AddressLock);
            lockCmd.Parameters.AddWithValue("u", username);
            lockCmd.Parameters.AddWithValue("ip", clientIp);
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        // With N failures in the window, an attempt is allowed again once the limit-th newest one has aged out.
        await using (var cmd = new NpgsqlCommand("""
            WITH last_ok AS (
              SELECT coalesce(max(attempted_at), '-infinity') AS at FROM login_attempts WHERE username = @u AND succeeded)
            SELECT
              (SELECT attempted_at FROM login_attempts, last_ok
               WHERE username = @u AND client_ip = @ip AND NOT succeeded AND attempted_at > @since AND attempted_at > last_ok.at
               ORDER BY attempted_at DESC OFFSET @pairLimit - 1 LIMIT 1),
              (SELECT attempted_at FROM login_attempts, last_ok
               WHERE username = @u AND NOT succeeded AND attempted_at > @since AND attempted_at > last_ok.at
               ORDER BY attempted_at DESC OFFSET @userLimit - 1 LIMIT 1),
              (SELECT attempted_at FROM login_attempts
               WHERE client_ip = @ip AND NOT succeeded AND attempted_at > @since
               ORDER BY attempted_at DESC OFFSET @ipLimit - 1 LIMIT 1)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("u", username);
            cmd.Parameters.AddWithValue("ip", clientIp);
            cmd.Parameters.AddWithValue("since", now - window);
            cmd.Parameters.AddWithValue("pairLimit", Math.Max(1, o.LoginFailuresPerUserAndIp));
            cmd.Parameters.AddWithValue("userLimit", Math.Max(1, o.LoginFailuresPerUser));
            cmd.Parameters.AddWithValue("ipLimit", Math.Max(1, o.LoginFailuresPerIp));
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            TimeSpan? wait = null;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (!reader.IsDBNull(i))
                {
                    var until = reader.GetFieldValue<DateTimeOffset>(i) + window - now;
                    if (until > TimeSpan.Zero && (wait is null || until > wait))
                    {
                        wait = until;
                    }
                }
            }
            if (wait is { } w)
            {
                return new LoginReservation(null, w);
            }
        }
        long id;
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO login_attempts (username, client_ip, succeeded, attempted_at) VALUES (@u, @ip, false, @at) RETURNING id", conn, tx))
        {
            insert.Parameters.AddWithValue("u", username);
            insert.Parameters.AddWithValue("ip", clientIp);
            insert.Parameters.AddWithValue("at", now);
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
        }
        await tx.CommitAsync(ct);
        return new LoginReservation(id, null);
    }

    /// <summary>The reserved attempt verified its password: it no longer counts, and the username's counts restart.</summary>
    public async Task SucceededAsync(long attemptId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE login_attempts SET succeeded = true WHERE id = @id");
        cmd.Parameters.AddWithValue("id", attemptId);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
