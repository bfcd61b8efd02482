namespace LiveClassroom.Server.Hosting;

/// <summary>
/// Cross-origin calls between the nodes of one deployment (<see cref="ClusterNodes"/>): a page loaded from node A
/// connects its hub to node B when A is unreachable. Only the listed origins; no cookies (the bearer token is the
/// only credential, so credentials are not allowed); nothing at all for a single node.
/// </summary>
public static class ClusterCors
{
    public static IApplicationBuilder UseClusterCors(this IApplicationBuilder app, ClusterNodes cluster)
    {
        if (cluster.Origins.Count == 0)
        {
            return app;
        }
        return app.UseCors(policy => policy
            .WithOrigins([.. cluster.Origins])
            // SignalR's negotiate and long-polling requests, and the JSON API: Authorization, Content-Type, SignalR's own headers.
            .WithHeaders("authorization", "content-type", "x-requested-with", "x-signalr-user-agent", IdempotencyHeader)
            .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10)));
    }

    private const string IdempotencyHeader = "idempotency-key";
}
