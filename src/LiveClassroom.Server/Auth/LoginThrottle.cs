using Microsoft.Extensions.Options;
using Npgsql;

namespace LiveClassroom.Server.Auth;

/// <summary>
/// Limits password guessing per username and per client IP, counting failed attempts in PostgreSQL so every node
/// sees the same count. A username's count restarts after a successful login.
/// </summary>
public sealed class LoginThrottle(NpgsqlDataSource dataSource, IOptions<AccountOptions> options, TimeProvider time)
{
    /// <summary>How long until another attempt is allowed, or null when allowed now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string username, string clientIp, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var window = TimeSpan.FromMinutes(o.LoginWindowMinutes);
        // With N failures in the window, the attempt is allowed again once the limit-th newest one has aged out.
        await using var cmd = dataSource.CreateCommand("""
            SELECT
              (SELECT attempted_at FROM login_attempts
               WHERE username = @u AND NOT succeeded AND attempted_at > @since
                 AND attempted_at > coalesce((SELECT max(attempted_at) FROM login_attempts WHERE username = @u AND succeeded), '-infinity')
               ORDER BY attempted_at DESC OFFSET @userLimit - 1 LIMIT 1),
              (SELECT attempted_at FROM login_attempts
               WHERE client_ip = @ip AND NOT succeeded AND attempted_at > @since
               ORDER BY attempted_at DESC OFFSET @ipLimit - 1 LIMIT 1)
            """);
        cmd.Parameters.AddWithValue("u", username);
        cmd.Parameters.AddWithValue("ip", clientIp);
        cmd.Parameters.AddWithValue("since", now - window);
        cmd.Parameters.AddWithValue("userLimit", Math.Max(1, o.LoginFailuresPerUser));
        cmd.Parameters.AddWithValue("ipLimit", Math.Max(1, o.LoginFailuresPerIp));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        TimeSpan? wait = null;
        for (var i = 0; i < 2; i++)
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
        return wait;
    }

    public async Task RecordAsync(string username, string clientIp, bool succeeded, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "INSERT INTO login_attempts (username, client_ip, succeeded, attempted_at) VALUES (@u, @ip, @ok, @at)");
        cmd.Parameters.AddWithValue("u", username);
        cmd.Parameters.AddWithValue("ip", clientIp);
        cmd.Parameters.AddWithValue("ok", succeeded);
        cmd.Parameters.AddWithValue("at", time.GetUtcNow());
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
