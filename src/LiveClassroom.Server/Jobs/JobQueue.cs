using System.Text.Json;
using Dapper;
using Npgsql;

namespace LiveClassroom.Server.Jobs;

/// <summary>
/// Jobs in PostgreSQL. queued → running → succeeded | (queued again with back-off) | failed.
/// Claiming uses FOR UPDATE SKIP LOCKED, so any number of nodes may run workers against one database.
/// </summary>
public sealed class JobQueue(NpgsqlDataSource db, JobOptions options, NodeIdentity node)
{
    private const string Columns = """
        id, kind, dedupe_key AS DedupeKey, payload::text AS Payload, organisation_id AS OrganisationId, status, attempts,
        max_attempts AS MaxAttempts, next_run_at AS NextRunAt, locked_by AS LockedBy, locked_until AS LockedUntil, progress,
        last_error AS LastError, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Signalled on enqueue so a local worker starts without waiting for its poll.</summary>
    internal SemaphoreSlim Wake => _wake;

    /// <summary>Adds a job unless one with the same kind and key exists; returns the job's id either way.</summary>
    public async Task<long> EnqueueAsync(string kind, string dedupeKey, object payload, Guid? organisationId = null, int maxAttempts = 6, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            WITH ins AS (
                INSERT INTO jobs (kind, dedupe_key, payload, organisation_id, max_attempts)
                VALUES (@kind, @dedupeKey, @payload::jsonb, @organisationId, @maxAttempts)
                ON CONFLICT (kind, dedupe_key) DO NOTHING
                RETURNING id)
            SELECT id FROM ins UNION ALL SELECT id FROM jobs WHERE kind = @kind AND dedupe_key = @dedupeKey LIMIT 1
            """, new { kind, dedupeKey, payload = JsonSerializer.Serialize(payload), organisationId, maxAttempts }, cancellationToken: ct));
        _wake.Release();
        return id;
    }

    /// <summary>Claims one due job (queued and due, or running with an expired lease) for this node.</summary>
    public async Task<JobRow?> ClaimAsync(IReadOnlyCollection<string> kinds, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition($"""
            UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = @node,
                locked_until = now() + make_interval(secs => @lease), updated_at = now()
            WHERE id = (
                SELECT id FROM jobs
                WHERE kind = ANY(@kinds)
                  AND ((status = 'queued' AND next_run_at <= now()) OR (status = 'running' AND locked_until < now()))
                ORDER BY next_run_at, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """, new { node = node.Id, lease = (double)options.LeaseSeconds, kinds = kinds.ToArray() }, cancellationToken: ct));
    }

    public async Task SetProgressAsync(long id, int progress)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync(
            "UPDATE jobs SET progress = @progress, updated_at = now() WHERE id = @id AND status = 'running' AND locked_by = @node",
            new { id, progress = Math.Clamp(progress, 0, 100), node = node.Id });
    }

    public async Task CompleteAsync(long id)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            UPDATE jobs SET status = 'succeeded', progress = 100, locked_by = NULL, locked_until = NULL, last_error = NULL, updated_at = now()
            WHERE id = @id AND status = 'running'
            """, new { id });
    }

    /// <summary>Records a failed attempt: queued again after the back-off, or failed for good when attempts are used up.</summary>
    public async Task FailAsync(JobRow job, string error)
    {
        var backoff = options.Backoff(job.Attempts);
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                next_run_at = now() + make_interval(secs => @backoff),
                locked_by = NULL, locked_until = NULL, last_error = @error, updated_at = now()
            WHERE id = @id AND status = 'running'
            """, new { id = job.Id, backoff = backoff.TotalSeconds, error = error.Length > 2000 ? error[..2000] : error });
    }

    public async Task<JobRow?> GetAsync(long id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QuerySingleOrDefaultAsync<JobRow>($"SELECT {Columns} FROM jobs WHERE id = @id", new { id });
    }

    public async Task<JobRow?> FindAsync(string kind, string dedupeKey)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QuerySingleOrDefaultAsync<JobRow>(
            $"SELECT {Columns} FROM jobs WHERE kind = @kind AND dedupe_key = @dedupeKey", new { kind, dedupeKey });
    }

    /// <summary>Jobs of the given organisations (null: all), newest first.</summary>
    public async Task<IReadOnlyList<JobRow>> ListAsync(Guid[]? organisations, string? status, int limit)
    {
        await using var conn = await db.OpenConnectionAsync();
        return [.. await conn.QueryAsync<JobRow>($"""
            SELECT {Columns} FROM jobs
            WHERE (@all OR organisation_id = ANY(@organisations)) AND (@status::text IS NULL OR status = @status)
            ORDER BY id DESC LIMIT @limit
            """, new { all = organisations is null, organisations = organisations ?? [], status, limit })];
    }
}
