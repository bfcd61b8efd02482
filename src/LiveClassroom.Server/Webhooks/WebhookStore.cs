using Dapper;
using LiveClassroom.Server.Jobs;
using Npgsql;

namespace LiveClassroom.Server.Webhooks;

/// <summary>Webhooks, their events and deliveries in PostgreSQL; deliveries are claimed like jobs (FOR UPDATE SKIP LOCKED).</summary>
public sealed class WebhookStore(NpgsqlDataSource db, WebhookOptions options, NodeIdentity node)
{
    private const string HookColumns = """
        id, organisation_id AS OrganisationId, url, events, description, enabled, created_by AS CreatedBy,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    private const string DeliveryColumns = """
        d.id, d.webhook_id AS WebhookId, d.event_id AS EventId, e.type AS EventType, d.status, d.attempts,
        d.max_attempts AS MaxAttempts, d.next_attempt_at AS NextAttemptAt, d.last_attempt_at AS LastAttemptAt,
        d.last_status_code AS LastStatusCode, d.last_error AS LastError, d.replay_of AS ReplayOf,
        d.created_at AS CreatedAt, d.delivered_at AS DeliveredAt
        """;

    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Signalled on enqueue so a local worker starts without waiting for its poll.</summary>
    internal SemaphoreSlim Wake => _wake;

    public async Task<WebhookRow> CreateAsync(Guid organisationId, string url, string secret, string[] events, string? description, Guid createdBy, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<WebhookRow>(new CommandDefinition($"""
            INSERT INTO webhooks (id, organisation_id, url, secret, events, description, created_by)
            VALUES (@id, @organisationId, @url, @secret, @events, @description, @createdBy)
            RETURNING {HookColumns}
            """, new { id = Guid.CreateVersion7(), organisationId, url, secret, events, description, createdBy }, cancellationToken: ct));
    }

    public async Task<WebhookRow?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(
            $"SELECT {HookColumns} FROM webhooks WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<WebhookRow>> ListAsync(Guid[] organisations, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return [.. await conn.QueryAsync<WebhookRow>(new CommandDefinition(
            $"SELECT {HookColumns} FROM webhooks WHERE organisation_id = ANY(@organisations) ORDER BY created_at, id",
            new { organisations }, cancellationToken: ct))];
    }

    public async Task<WebhookRow?> UpdateAsync(Guid id, string? url, string[]? events, string? description, bool? enabled, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition($"""
            UPDATE webhooks SET url = coalesce(@url, url), events = coalesce(@events, events),
                description = coalesce(@description, description), enabled = coalesce(@enabled, enabled), updated_at = now()
            WHERE id = @id
            RETURNING {HookColumns}
            """, new { id, url, events, description, enabled }, cancellationToken: ct));
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("DELETE FROM webhooks WHERE id = @id", new { id }, cancellationToken: ct)) > 0;
    }

    /// <summary>
    /// Stores the event and queues one delivery per enabled hook subscribed to its type at any of
    /// <paramref name="organisations"/> or their ancestors, in one statement. Nothing is stored when no hook listens,
    /// and an event whose <paramref name="dedupeKey"/> was seen before is not queued again. Returns the deliveries queued.
    /// </summary>
    public async Task<int> EnqueueAsync(Guid eventId, string type, string dedupeKey, Guid[] organisations, string body, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var queued = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
            WITH RECURSIVE up AS (
                SELECT id, parent_id FROM organisations WHERE id = ANY(@organisations)
                UNION
                SELECT o.id, o.parent_id FROM organisations o JOIN up ON o.id = up.parent_id),
            hooks AS (
                SELECT h.id FROM webhooks h
                WHERE h.enabled AND @type = ANY(h.events) AND h.organisation_id IN (SELECT id FROM up)),
            ev AS (
                INSERT INTO webhook_events (id, type, dedupe_key, organisation_ids, body)
                SELECT @eventId, @type, @dedupeKey, @organisations, @body WHERE EXISTS (SELECT 1 FROM hooks)
                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING id),
            ins AS (
                INSERT INTO webhook_deliveries (webhook_id, event_id, max_attempts)
                SELECT hooks.id, ev.id, @maxAttempts FROM hooks CROSS JOIN ev
                RETURNING 1)
            SELECT count(*) FROM ins
            """, new { eventId, type, dedupeKey, organisations, body, maxAttempts = options.MaxAttempts }, cancellationToken: ct));
        if (queued > 0)
        {
            _wake.Release();
        }
        return queued;
    }

    /// <summary>Claims one due delivery (queued and due, or running with an expired lease) of an enabled hook for this node.</summary>
    public async Task<ClaimedDelivery?> ClaimAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ClaimedDelivery>(new CommandDefinition("""
            WITH c AS (
                UPDATE webhook_deliveries SET status = 'running', attempts = attempts + 1, locked_by = @node,
                    locked_until = now() + make_interval(secs => @lease)
                WHERE id = (
                    SELECT d.id FROM webhook_deliveries d JOIN webhooks h ON h.id = d.webhook_id
                    WHERE h.enabled
                      AND ((d.status = 'queued' AND d.next_attempt_at <= now()) OR (d.status = 'running' AND d.locked_until < now()))
                    ORDER BY d.next_attempt_at, d.id
                    LIMIT 1
                    FOR UPDATE OF d SKIP LOCKED)
                RETURNING id, webhook_id, event_id, attempts, max_attempts)
            SELECT c.id, c.event_id AS EventId, e.type AS EventType, c.attempts, c.max_attempts AS MaxAttempts,
                   h.url, h.secret, e.body
            FROM c JOIN webhooks h ON h.id = c.webhook_id JOIN webhook_events e ON e.id = c.event_id
            """, new { node = node.Id, lease = options.Lease.TotalSeconds }, cancellationToken: ct));
    }

    /// <summary>Records an answered 2xx: the delivery is done.</summary>
    public async Task SucceedAsync(ClaimedDelivery d, int statusCode, int durationMs)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            WITH u AS (
                UPDATE webhook_deliveries SET status = 'succeeded', locked_by = NULL, locked_until = NULL, last_attempt_at = now(),
                    last_status_code = @statusCode, last_error = NULL, delivered_at = now()
                WHERE id = @id AND status = 'running' AND locked_by = @node
                RETURNING id, attempts)
            INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, duration_ms)
            SELECT id, attempts, now(), @statusCode, @durationMs FROM u
            ON CONFLICT DO NOTHING
            """, new { id = d.Id, statusCode, durationMs, node = node.Id });
    }

    /// <summary>Records a failed attempt: queued again after the back-off, or failed for good when attempts are used up.</summary>
    public async Task FailAsync(ClaimedDelivery d, int? statusCode, string error, int durationMs)
    {
        var last = d.Attempts >= d.MaxAttempts;
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            WITH u AS (
                UPDATE webhook_deliveries SET status = CASE WHEN @last THEN 'failed' ELSE 'queued' END,
                    next_attempt_at = now() + make_interval(secs => @backoff),
                    locked_by = NULL, locked_until = NULL, last_attempt_at = now(), last_status_code = @statusCode, last_error = @error
                WHERE id = @id AND status = 'running' AND locked_by = @node
                RETURNING id, attempts, next_attempt_at)
            INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, error, duration_ms, next_attempt_at)
            SELECT id, attempts, now(), @statusCode, @error, @durationMs, CASE WHEN @last THEN NULL ELSE next_attempt_at END FROM u
            ON CONFLICT DO NOTHING
            """, new
        {
            id = d.Id, last, backoff = options.Backoff(d.Attempts).TotalSeconds, statusCode,
            error = error.Length > 500 ? error[..500] : error, durationMs, node = node.Id,
        });
    }

    public async Task<DeliveryRow?> GetDeliveryAsync(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<DeliveryRow>(new CommandDefinition(
            $"SELECT {DeliveryColumns} FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.id = @id",
            new { id }, cancellationToken: ct));
    }

    /// <summary>The hook's deliveries, newest first.</summary>
    public async Task<IReadOnlyList<DeliveryRow>> DeliveriesAsync(Guid webhookId, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return [.. await conn.QueryAsync<DeliveryRow>(new CommandDefinition($"""
            SELECT {DeliveryColumns} FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
            WHERE d.webhook_id = @webhookId ORDER BY d.id DESC LIMIT @limit
            """, new { webhookId, limit }, cancellationToken: ct))];
    }

    public async Task<IReadOnlyList<AttemptRow>> AttemptsAsync(long deliveryId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return [.. await conn.QueryAsync<AttemptRow>(new CommandDefinition("""
            SELECT delivery_id AS DeliveryId, attempt, attempted_at AS AttemptedAt, status_code AS StatusCode, error,
                   duration_ms AS DurationMs, next_attempt_at AS NextAttemptAt
            FROM webhook_attempts WHERE delivery_id = @deliveryId ORDER BY attempt
            """, new { deliveryId }, cancellationToken: ct))];
    }

    /// <summary>Queues the same event to the same hook again, as a new delivery with fresh attempts (same event id).</summary>
    public async Task<DeliveryRow?> ReplayAsync(long deliveryId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var id = await conn.ExecuteScalarAsync<long?>(new CommandDefinition("""
            INSERT INTO webhook_deliveries (webhook_id, event_id, max_attempts, replay_of)
            SELECT webhook_id, event_id, @maxAttempts, id FROM webhook_deliveries WHERE id = @deliveryId
            RETURNING id
            """, new { deliveryId, maxAttempts = options.MaxAttempts }, cancellationToken: ct));
        if (id is null)
        {
            return null;
        }
        _wake.Release();
        return await GetDeliveryAsync(id.Value, ct);
    }

    /// <summary>The school of each of <paramref name="classrooms"/> that exists.</summary>
    public async Task<Dictionary<Guid, Guid>> SchoolsOfClassroomsAsync(Guid[] classrooms, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(Guid Id, Guid SchoolId)>(new CommandDefinition(
            "SELECT id, school_id FROM classrooms WHERE id = ANY(@classrooms)", new { classrooms }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, r => r.SchoolId);
    }

    public async Task<string?> EventBodyAsync(Guid eventId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT body FROM webhook_events WHERE id = @eventId", new { eventId }, cancellationToken: ct));
    }
}
