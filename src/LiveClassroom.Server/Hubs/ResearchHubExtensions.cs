using LiveClassroom.Server.Hosting;
using LiveClassroom.Server.Grains;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveClassroom.Server.Hubs;

/// <summary>Wiring of the research hub: <c>services.AddResearchHub()</c> (after AddClassroomHub, whose SignalR options and filter it shares) and <c>app.MapResearchHub()</c>.</summary>
public static class ResearchHubExtensions
{
    public static IServiceCollection AddResearchHub(this IServiceCollection services)
    {
        services.TryAddSingleton<OrderedGroupDelivery>();
        services.TryAddSingleton<ResearchConnections>();
        services.AddSingleton<IRoomEventSink, ResearchHubEventSink>();
        return services;
    }

    public static IEndpointRouteBuilder MapResearchHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<ResearchHub>(ResearchHub.Path, o =>
        {
            // Long polling for school networks whose proxies break WebSocket upgrades.
            o.Transports = HttpTransportType.WebSockets | HttpTransportType.LongPolling;
        }).WithBodyLimit(ClassroomHubExtensions.HubBodyBytes);
        return app;
    }
}
