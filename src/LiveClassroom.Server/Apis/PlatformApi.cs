namespace LiveClassroom.Server.Apis;

public static class PlatformApi
{
    /// <summary>The platform around the classes: registration, teacher import, class orders, continuing-education hours and teaching-research alliances (docs/API-PLATFORM.md).</summary>
    public static IEndpointRouteBuilder MapPlatformApi(this IEndpointRouteBuilder app) =>
        app.MapRegistrationsApi().MapTeacherImportApi().MapClassOrdersApi().MapCeHoursApi().MapAlliancesApi();
}
