using LiveClassroom.Server.Apis;
using LiveClassroom.Server.Persistence;
using Npgsql;

namespace LiveClassroom.Server.Health;

public static class HealthEndpoints
{
    /// <summary><c>/healthz</c>: 200 when the database answers and the schema is at this build's version.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (NpgsqlDataSource db, CancellationToken ct) =>
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
                return Results.Json(new { status = "unhealthy", database = "unreachable" }, statusCode: 503);
            }
            var expected = MigrationCatalog.LatestVersion;
            return version == expected
                ? Results.Json(new { status = "healthy", database = "ok", schemaVersion = version })
                : Results.Json(new { status = "unhealthy", database = "ok", schemaVersion = version, expectedSchemaVersion = expected }, statusCode: 503);
        }).Doc("GetHealth", "200 when the database answers and its schema is at this build's version, 503 otherwise", 200).Produces(503).AllowAnonymous();
        return app;
    }
}
