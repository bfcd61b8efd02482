using LiveClassroom.Server.Apis;
using LiveClassroom.Server.Jobs;
using LiveClassroom.Server.Library;

namespace LiveClassroom.Server.Recording;

/// <summary>The recordings/library/jobs wiring: one call each in ServerApp.</summary>
public static class RecordingServiceCollectionExtensions
{
    public static IServiceCollection AddRecordings(this IServiceCollection services)
    {
        // Read when first needed: test hosts add their settings after ServerApp registers services.
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(RecordingOptions.Section).Get<RecordingOptions>() ?? new RecordingOptions());
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(JobOptions.Section).Get<JobOptions>() ?? new JobOptions());
        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<RecordingStore>();
        services.AddSingleton<RecordingService>();
        services.AddSingleton<LiveClassRecordingStarter>();
        services.AddSingleton<LiveClassRecordingSink>();
        services.AddSingleton<LiveClassroom.Server.Grains.IRoomOwnerEventSink>(sp => sp.GetRequiredService<LiveClassRecordingSink>());
        services.AddSingleton<LiveClassroom.Server.Grains.IRoomActivationSink>(sp => sp.GetRequiredService<LiveClassRecordingSink>());
        services.AddSingleton<LibraryStore>();
        services.AddSingleton<LibraryStatsStore>();
        services.AddSingleton<LibraryAccess>();
        services.AddSingleton<RecordingFinalizer>();
        services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<RecordingFinalizer>());
        services.AddHostedService<RecordingRecovery>();
        services.AddSingleton<JobWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<JobWorker>());
        return services;
    }

    public static IEndpointRouteBuilder MapRecordingsAndLibraryApi(this IEndpointRouteBuilder app)
    {
        app.MapRecordingsApi();
        app.MapLibraryApi();
        app.MapJobsApi();
        return app;
    }
}
