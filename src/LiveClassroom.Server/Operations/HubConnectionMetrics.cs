using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Operations;

/// <summary>Counts open connections of every hub (a global hub filter: the hubs themselves are untouched).</summary>
public sealed class HubConnectionMetrics(ServerMetrics metrics) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        metrics.HubConnected(context.Hub.GetType().Name);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        finally
        {
            metrics.HubDisconnected(context.Hub.GetType().Name);
        }
    }
}
