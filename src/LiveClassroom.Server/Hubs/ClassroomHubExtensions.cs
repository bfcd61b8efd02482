using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Hosting;
using LiveClassroom.Server.Grains;
using LiveClassroom.Server.Rooms;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveClassroom.Server.Hubs;

/// <summary>Wiring of the classroom hub: <c>services.AddClassroomHub()</c> and <c>app.MapClassroomHub()</c>.</summary>
public static class ClassroomHubExtensions
{
    /// <summary>Largest message a client may send (an SDP offer with simulcast is ~10 KB).</summary>
    public const long MaximumReceiveMessageSize = 64 * 1024;

    /// <summary>
    /// A long-polling send may carry several messages in one POST; each is still held to
    /// <see cref="MaximumReceiveMessageSize"/> by SignalR (Hosting/RequestBodyLimit).
    /// </summary>
    public const long HubBodyBytes = 1024 * 1024;

    public static IServiceCollection AddClassroomHub(this IServiceCollection services)
    {
        services.AddSignalR(o =>
            {
                o.MaximumReceiveMessageSize = MaximumReceiveMessageSize;
                // Rural links stall for seconds at a time: ping often, give up late. Every 4 s, so that a page of a
                // several-node deployment can take 8 s of silence for a hung node (web hub/connect.ts).
                o.KeepAliveInterval = TimeSpan.FromSeconds(4);
                o.ClientTimeoutInterval = TimeSpan.FromSeconds(30);
                o.HandshakeTimeout = TimeSpan.FromSeconds(15);
                o.EnableDetailedErrors = false;
                o.AddFilter<HubCallFilter>();
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.TryAddSingleton<HubCallFilter>();
        services.TryAddSingleton<OrderedGroupDelivery>();
        services.TryAddSingleton<ClassEventDispatcher>();
        services.TryAddSingleton<ClassroomHubMetrics>();
        services.TryAddSingleton<ClassConnections>();
        services.TryAddSingleton<ClassRoleResolver>();
        services.TryAddSingleton<ClassAccess>();
        services.AddSingleton<IRoomEventSink, ClassroomHubEventSink>();
        services.AddSingleton<IRoomOwnerEventSink, ClassOpenedNotifier>();
        services.TryAddSingleton<ClassChangeBroadcast>();
        services.AddHostedService(sp => sp.GetRequiredService<ClassChangeBroadcast>());
        services.TryAddSingleton<MediaQualityNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<MediaQualityNotifier>());
        services.TryAddSingleton<IMediaQualityNotices>(sp => sp.GetRequiredService<MediaQualityNotifier>());
        // Both hubs' take-overs: the research hub's registry is needed here whether or not AddResearchHub ran yet.
        services.TryAddSingleton<ResearchConnections>();
        services.TryAddSingleton<MediaTakeovers>();
        services.TryAddSingleton<IMediaTakeovers>(sp => sp.GetRequiredService<MediaTakeovers>());
        services.TryAddSingleton<Operations.NetworkDashboard>();
        services.AddHostedService(sp => sp.GetRequiredService<Operations.NetworkDashboard>());
        return services;
    }

    public static IEndpointRouteBuilder MapClassroomHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<ClassroomHub>(ClassroomHub.Path, o =>
        {
            // Long polling for school networks whose proxies break WebSocket upgrades.
            o.Transports = HttpTransportType.WebSockets | HttpTransportType.LongPolling;
        }).WithBodyLimit(HubBodyBytes);
        return app;
    }
}
