namespace LiveClassroom.Server.Apis;

public static class PlatformApi
{
    /// <summary>The platform around the classes: registration, teacher import, class orders and continuing-education hours (docs/API-PLATFORM.md).</summary>
    public static IEndpointRouteBuilder MapPlatformApi(this IEndpointRouteBuilder app) =>
        app.MapRegistrationsApi().MapTeacherImportApi().MapClassOrdersApi().MapCeHoursApi();
}
