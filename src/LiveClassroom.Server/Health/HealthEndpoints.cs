using System.Text.Json.Serialization;
using LiveClassroom.Media;
using LiveClassroom.Server.Apis;
using LiveClassroom.Server.Persistence;
using Npgsql;

namespace LiveClassroom.Server.Health;

/// <summary>
/// Probes for orchestrators (docs/OPERATIONS.md, "Health"): <c>/healthz/live</c> — the process answers (restart it
/// when this fails); <c>/healthz/ready</c> — it can serve classes: the database answers at this build's schema and the
/// media socket is bound (take it out of the load balancer when this fails); <c>/healthz</c> — the database part only,
/// kept for existing checks (docker-compose, scripts).
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (NpgsqlDataSource db, CancellationToken ct) =>
        {
            var database = await DatabaseAsync(db, ct);
            return Results.Json(database.Body, statusCode: database.Ok ? 200 : 503);
        }).Doc("GetHealth", "200 when the database answers and its schema is at this build's version, 503 otherwise", 200).Produces(503).AllowAnonymous();
        app.MapGet("/healthz/live", () => Results.Json(new { status = "alive" }))
            .Doc("GetLiveness", "Liveness: 200 while the process answers requests; it checks nothing else", 200).AllowAnonymous();
        app.MapGet("/healthz/ready", async (NpgsqlDataSource db, IServiceProvider services, CancellationToken ct) =>
        {
            var database = await DatabaseAsync(db, ct);
            var media = MediaSocket(services.GetService<MediaServer>());
            var ready = database.Ok && media != "unbound";
            return Results.Json(new
            {
                status = ready ? "ready" : "not_ready",
                database = database.Body.Database,
                database.Body.SchemaVersion,
                database.Body.ExpectedSchemaVersion,
                media,
            }, statusCode: ready ? 200 : 503);
        }).Doc("GetReadiness", "Readiness: 200 when the database answers at this build's schema and the media socket is bound, 503 otherwise", 200)
            .Produces(503).AllowAnonymous();
        return app;
    }

    private static async Task<(bool Ok, DatabaseHealth Body)> DatabaseAsync(
        NpgsqlDataSource db, CancellationToken ct)
    {
        int version;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            version = await MigrationRunner.CurrentVersionAsync(db, timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return (false, new("unhealthy", "unreachable", null, null));
        }
        var expected = MigrationCatalog.LatestVersion;
        return version == expected
            ? (true, new("healthy", "ok", version, null))
            : (false, new("unhealthy", "ok", version, expected));
    }

    /// <summary><c>bound</c> with the SFU's socket open, <c>off</c> without an SFU (Media:Mode=Null), else <c>unbound</c>.</summary>
    private static string MediaSocket(MediaServer? server)
    {
        if (server is null)
        {
            return "off";
        }
        try
        {
            return server.LocalEndPoint.Port > 0 ? "bound" : "unbound";
        }
        catch (ObjectDisposedException)
        {
            return "unbound";
        }
    }

    private sealed record DatabaseHealth(
        string Status,
        string Database,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? SchemaVersion,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ExpectedSchemaVersion);
}
