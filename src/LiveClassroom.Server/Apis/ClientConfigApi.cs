using LiveClassroom.Server.Hosting;

namespace LiveClassroom.Server.Apis;

/// <summary>GET /api/client-config: what the web client needs to know about the deployment (docs/API.md, "Client configuration").</summary>
public static class ClientConfigApi
{
    /// <param name="Nodes">Every node's public origin (<c>Cluster__Nodes</c>); empty for a single node: use the page's own.</param>
    public sealed record ClientConfig(IReadOnlyList<string> Nodes);

    public static IEndpointRouteBuilder MapClientConfigApi(this IEndpointRouteBuilder app)
    {
        // Any signed-in person or paired device (the fallback policy refuses anonymous callers): the list is what a
        // page needs to keep its hub connection when its node fails, and no page before sign-in holds one.
        app.MapGet("/api/client-config", (ClusterNodes nodes) => Results.Ok(new ClientConfig(nodes.Origins)))
            .Doc<ClientConfig>("ClientConfig", "The nodes a page may connect its hub to (Cluster:Nodes)", 200);
        return app;
    }
}
