using LiveClassroom.Server.Apis;
using LiveClassroom.Server.Apis.Rooms;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Grains;
using LiveClassroom.Server.Health;
using LiveClassroom.Server.Hubs;
using LiveClassroom.Server.Media;
using LiveClassroom.Server.Operations;
using LiveClassroom.Server.Persistence;
using LiveClassroom.Server.Research;
using LiveClassroom.Server.Recording;
using LiveClassroom.Server.Seeding;
using LiveClassroom.Server.Webhooks;

namespace LiveClassroom.Server.Hosting;

/// <summary>The composition root: every service and endpoint of the server is wired here.</summary>
public static class ServerApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var urls = Environment.GetEnvironmentVariable("LIVECLASSROOM_URLS");
        if (!string.IsNullOrWhiteSpace(urls))
        {
            builder.WebHost.UseUrls(urls);
        }
        HttpsCertificate.RequireFor(urls ?? builder.Configuration["urls"], builder.Configuration);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        // Read from the built configuration: test hosts add their settings after services are registered.
        builder.Services.AddSingleton(sp => ClusterNodes.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddCors();
        builder.WebHost.UseDefaultBodyLimit();
        // A start-up failure is reported by Program as one line; the host's own error log of it would
        // repeat it with a stack trace. After start-up the host's errors are logged as usual.
        var started = false;
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => level >= LogLevel.Information && (started || level < LogLevel.Error));
        // Likewise the silo: it starts before Kestrel, and when Kestrel then cannot bind, the host stops it at once
        // and Orleans logs the aborted stop with stack traces. Its start-up failures throw and are reported by Program.
        // The rule names the category, so it governs Orleans alone: a rule without one would replace the configured
        // default level for every category (and let trace logging through).
        builder.Logging.AddFilter("Orleans", level => level >= LogLevel.Information && (started || level < LogLevel.Warning));

        builder.Services.AddSingleton(sp =>
            DatabaseSetup.CreateDataSource(DatabaseSetup.ResolveConnectionString(sp.GetRequiredService<IConfiguration>())));
        builder.Services.AddSingleton<MigrationRunner>();
        builder.Services.AddSingleton<DemoSeeder>();
        // Registered first so the schema is in place before anything else starts or Kestrel listens.
        builder.Services.AddHostedService<DatabaseStartup>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(ServerClock.Default);
        // Minimal-API bodies too: a time with an offset reaches SQL as UTC (UtcDateTimeOffsetConverter).
        builder.Services.ConfigureHttpJsonOptions(o => UtcDateTimeOffsetConverter.AddTo(o.SerializerOptions));
        builder.AddRoomGrains();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddAccounts();
        builder.Services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(
                TokenAuthenticationHandler.SchemeName, null);
        // Nothing but login, health and static assets is reachable without a token: endpoints opt out explicitly.
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddResearch(builder.Configuration);

        builder.Services.AddClassroomHub();
        builder.Services.AddResearchHub();
        builder.Services.AddRoomsApi();
        builder.Services.AddMediaPlane(builder.Configuration);
        builder.Services.AddRecordings();
        builder.Services.AddWebhooks();
        builder.Services.AddApiReference();
        builder.AddTelemetry();

        var app = builder.Build();
        var cluster = app.Services.GetRequiredService<ClusterNodes>();
        app.Lifetime.ApplicationStarted.Register(() => started = true);
        app.UseTrustedProxies(app.Configuration);
        app.UseSecurityHeaders(cluster);
        app.UseClusterCors(cluster);
        app.UseApiReferenceNonce();
        app.UseApiErrorBodies();
        app.UseRequestBodyLimit();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseRestrictedAccounts();
        app.UseAuthorization();
        app.MapHealthApi();
        app.MapAccountsApi();
        app.MapPlatformApi();
        app.MapClassroomHub();
        app.MapResearchHub();
        app.MapRoomsApi();
        app.MapResearchApi();
        app.MapRecordingsAndLibraryApi();
        app.MapIceServersApi();
        app.MapClientConfigApi();
        app.MapNetworkCheckApi();
        app.MapWebhooks();
        app.MapApiReference();
        app.MapTelemetry();
        app.MapSpaFallback();
        return app;
    }
}
