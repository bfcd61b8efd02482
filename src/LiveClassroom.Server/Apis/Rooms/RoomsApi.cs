using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveClassroom.Server.Apis.Rooms;

/// <summary>Wiring of the room HTTP APIs (docs/API-ROOMS.md): <c>services.AddRoomsApi()</c>, <c>app.MapRoomsApi()</c>.</summary>
public static class RoomsApi
{
    public static IServiceCollection AddRoomsApi(this IServiceCollection services)
    {
        services.TryAddSingleton<RoomDirectory>();
        services.TryAddSingleton<RoomApiErrorFilter>();
        return services;
    }

    public static IEndpointRouteBuilder MapRoomsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<RoomApiErrorFilter>();
        api.MapPairingsApi();
        api.MapLiveClassesApi();
        return app;
    }
}
