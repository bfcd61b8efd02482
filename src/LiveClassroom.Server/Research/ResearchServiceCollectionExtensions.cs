using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveClassroom.Server.Research;

public static class ResearchServiceCollectionExtensions
{
    /// <summary>Teaching research: store, access checks, the live-session host and its sweeper, reports.</summary>
    public static IServiceCollection AddResearch(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<ResearchLiveOptions>(config.GetSection("Research"));
        services.AddSingleton<ResearchStore>();
        services.AddSingleton<ResearchAccess>();
        services.AddSingleton<ResearchLiveHost>();
        services.AddSingleton<LessonReportBuilder>();
        services.AddSingleton<ParticipationService>();
        // Replaceable: the recordings area or the hub registers its own before or after this call.
        services.TryAddSingleton<IRecordingCatalog, SqlRecordingCatalog>();
        services.TryAddSingleton<IResearchLiveNotifier, NullResearchLiveNotifier>();
        services.AddHostedService<ResearchSweeper>();
        return services;
    }
}
