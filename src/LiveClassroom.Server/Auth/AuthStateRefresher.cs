using Microsoft.Extensions.Options;
using Npgsql;

namespace LiveClassroom.Server.Auth;

/// <summary>
/// Keeps this node's <see cref="OrganisationDirectory"/> and <see cref="PrincipalRevocations"/> in step with the
/// database: loads both at start-up, then every few seconds compares the change counters the 0002 triggers
/// maintain and reloads what moved. Endpoints that change either call the reload methods after committing,
/// so the change holds at once on this node. Loads are serialised so an older read never replaces a newer one.
/// </summary>
public sealed partial class AuthStateRefresher(
    NpgsqlDataSource dataSource, OrganisationDirectory directory, PrincipalRevocations revocations,
    IOptions<AccountOptions> options, ILogger<AuthStateRefresher> logger) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(force: true, cancellationToken);
        _loop = Task.Run(() => LoopAsync(_stopping.Token), CancellationToken.None);
    }

    // Hosts may stop twice (WebApplicationFactory's DisposeAsync then Dispose) and dispose in between: stop once.
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var loop = Interlocked.Exchange(ref _loop, null);
        if (loop is null)
        {
            return;
        }
        await _stopping.CancelAsync();
        await Task.WhenAny(loop, Task.Delay(Timeout.Infinite, cancellationToken));
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _loop, null) is not null)
        {
            _stopping.Cancel();
        }
        // The loop may still be finishing a refresh: the semaphore is left to the collector rather than disposed under it.
        _stopping.Dispose();
    }

    /// <summary>Reloads whatever changed; <paramref name="force"/> reloads everything.</summary>
    public async Task RefreshAsync(bool force, CancellationToken ct)
    {
        await _loadGate.WaitAsync(ct);
        try
        {
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            // One snapshot: the counters and the rows they describe are read together.
            await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            long orgVersion = 0, principalVersion = 0;
            await using (var cmd = new NpgsqlCommand("SELECT scope, version FROM auth_cache_versions", conn, tx))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    if (reader.GetString(0) == "organisations")
                    {
                        orgVersion = reader.GetInt64(1);
                    }
                    else if (reader.GetString(0) == "principals")
                    {
                        principalVersion = reader.GetInt64(1);
                    }
                }
            }
            if (force || orgVersion != directory.Current.Version)
            {
                directory.Publish(await LoadTreeAsync(conn, tx, orgVersion, ct));
            }
            if (force || principalVersion != revocations.Version)
            {
                await LoadRevocationsAsync(conn, tx, principalVersion, ct);
            }
            await tx.CommitAsync(ct);
        }
        finally
        {
            _loadGate.Release();
        }
    }

    private static async Task<OrganisationTree> LoadTreeAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long version, CancellationToken ct)
    {
        var nodes = new List<OrganisationNode>();
        await using (var cmd = new NpgsqlCommand("SELECT id, parent_id, kind, name, is_rural FROM organisations", conn, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                nodes.Add(new OrganisationNode(
                    reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4)));
            }
        }
        var classrooms = new List<KeyValuePair<Guid, Guid>>();
        await using (var cmd = new NpgsqlCommand("SELECT id, school_id FROM classrooms", conn, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                classrooms.Add(new(reader.GetGuid(0), reader.GetGuid(1)));
            }
        }
        return new OrganisationTree(nodes, classrooms, version);
    }

    private async Task LoadRevocationsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long version, CancellationToken ct)
    {
        var tokens = new List<Guid>();
        await using (var cmd = new NpgsqlCommand("SELECT token_id FROM classroom_devices WHERE revoked_at IS NOT NULL", conn, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                tokens.Add(reader.GetGuid(0));
            }
        }
        var people = new List<Guid>();
        await using (var cmd = new NpgsqlCommand("SELECT id FROM people WHERE NOT is_active", conn, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                people.Add(reader.GetGuid(0));
            }
        }
        var validAfter = new List<KeyValuePair<Guid, DateTimeOffset>>();
        await using (var cmd = new NpgsqlCommand("SELECT id, sessions_valid_after FROM people WHERE sessions_valid_after IS NOT NULL", conn, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                validAfter.Add(new(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)));
            }
        }
        revocations.Publish(tokens, people, validAfter, version);
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(Math.Clamp(options.Value.CacheRefreshSeconds, 0.2, 60));
        using var timer = new PeriodicTimer(interval);
        var lastPrune = DateTime.UtcNow;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await RefreshAsync(force: false, ct);
                    if (DateTime.UtcNow - lastPrune > TimeSpan.FromMinutes(10))
                    {
                        lastPrune = DateTime.UtcNow;
                        await PruneAsync(ct);
                    }
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    // Keep serving from the last snapshot; the next tick tries again.
                    LogRefreshFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task PruneAsync(CancellationToken ct)
    {
        // Rate limiting looks back minutes; a day of attempts is plenty for an investigation.
        await using var cmd = dataSource.CreateCommand("""
            DELETE FROM login_attempts WHERE attempted_at < now() - interval '1 day';
            DELETE FROM device_pairing_requests WHERE expires_at < now() - interval '1 day' AND status IN ('pending', 'expired')
            """);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the organisation and revocation cache failed; serving the last snapshot")]
    private static partial void LogRefreshFailed(ILogger logger, Exception ex);
}
