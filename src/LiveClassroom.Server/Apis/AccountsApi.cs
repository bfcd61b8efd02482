namespace LiveClassroom.Server.Apis;

public static class AccountsApi
{
    /// <summary>Every endpoint of accounts, devices, organisations, people and audit (docs/API.md).</summary>
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app) =>
        app.MapAuthApi().MapDevicesApi().MapOrganisationsApi().MapPeopleApi().MapAuditApi();
}
