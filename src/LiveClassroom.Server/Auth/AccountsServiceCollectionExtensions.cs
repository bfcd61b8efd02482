using LiveClassroom.Server.Persistence;

namespace LiveClassroom.Server.Auth;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// Accounts, access policy, device revocation and the stores behind the accounts APIs. Call after the database
    /// start-up is registered: the cache refresher loads the organisation tree once the schema exists.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section);
        // Unparseable route or query values answer 400 in the API's error shape (Apis/ApiErrorBodies) in every
        // environment, rather than a developer exception page in Development.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        services.AddHostedService<SharedSigningKey>();
        services.AddSingleton<OrganisationDirectory>();
        services.AddSingleton<PrincipalRevocations>();
        services.AddSingleton<AccessPolicy>();
        services.AddSingleton<AuthStateRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<AuthStateRefresher>());
        services.AddSingleton<DeviceActivity>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<AccountTokens>();
        services.AddSingleton<PeopleStore>();
        services.AddSingleton<DeviceStore>();
        services.AddSingleton<OrganisationStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<RegistrationStore>();
        services.AddSingleton<ClassOrderStore>();
        services.AddSingleton<ContinuingEducation.CeStore>();
        services.AddSingleton<ContinuingEducation.CeHoursService>();
        services.AddSingleton<Alliances.AllianceStore>();
        services.AddSingleton<Alliances.AllianceAccess>();
        return services;
    }
}
