using LiveClassroom.LoadTests.Cluster;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// A page's hub connection in a cluster (src/LiveClassroom.Web: hub/connect.ts, hub/nodes.ts, hub/RoomConnection.ts):
/// WebSockets (counted: <see cref="CountingWebSocket"/>), the page's <c>retryThenMove</c> (the same node again at once
/// and after 1 s, then the connection closes) and the node rotation the page then follows (the next node of the
/// deployment's list after the one that failed, wrapping round; 2 s between failed starts).
/// </summary>
internal static class PageHub
{
    /// <summary>RoomConnection.start: the wait after a failed start before the next node.</summary>
    public static readonly TimeSpan NextNodeDelay = TimeSpan.FromSeconds(2);

    /// <summary>connect.ts startTimeoutMs: a start not done by then is given up.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    public static HubConnection Build(BenchNode node, string token) => new HubConnectionBuilder()
        .WithUrl(new Uri(node.Url, "/hubs/classroom"), o =>
        {
            o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            o.Transports = HttpTransportType.WebSockets;
            o.WebSocketFactory = (context, ct) => CountingWebSocket.ConnectAsync(context.Uri, token, ct);
        })
        .WithAutomaticReconnect(new RetryThenMove())
        .Build();

    /// <summary>NodeRotation.after: the node after <paramref name="failed"/> in the deployment's order.</summary>
    public static BenchNode After(IReadOnlyList<BenchNode> nodes, BenchNode failed)
    {
        var i = -1;
        for (var j = 0; j < nodes.Count; j++)
        {
            if (nodes[j] == failed)
            {
                i = j;
            }
        }
        return nodes[(i + 1) % nodes.Count];
    }

    /// <summary>connect.ts retryThenMove: 0 ms, then 1 s, then give up on this node.</summary>
    private sealed class RetryThenMove : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) => retryContext.PreviousRetryCount switch
        {
            0 => TimeSpan.Zero,
            1 => TimeSpan.FromSeconds(1),
            _ => null,
        };
    }
}
