using LiveClassroom.Server.Apis;
using LiveClassroom.Server.Grains;

namespace LiveClassroom.Server.Webhooks;

/// <summary>The webhooks wiring: one call each in ServerApp.</summary>
public static class WebhooksServiceCollectionExtensions
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        // Read when first needed: test hosts add their settings after ServerApp registers services.
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(WebhookOptions.Section).Get<WebhookOptions>() ?? new WebhookOptions());
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookPublisher>();
        services.AddSingleton<IRoomOwnerEventSink, WebhookRoomEventSink>();
        services.AddSingleton<WebhookDeliveryWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDeliveryWorker>());
        return services;
    }

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app) => app.MapWebhooksApi();
}
