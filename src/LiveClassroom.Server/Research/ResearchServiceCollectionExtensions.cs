using LiveClassroom.Server.Grains;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveClassroom.Server.Research;

public static class ResearchServiceCollectionExtensions
{
    /// <summary>Teaching research: store, access checks, the grain adapter and the sink recording its facts, reports. Needs AddRoomGrains.</summary>
    public static IServiceCollection AddResearch(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<ResearchLiveOptions>(config.GetSection("Research"));
        services.AddSingleton<ResearchStore>();
        services.AddSingleton<ResearchAccess>();
        services.AddSingleton<ResearchLiveHost>();
        services.AddSingleton<MediaTickets>();
        services.AddSingleton<LessonReportBuilder>();
        services.AddSingleton<ParticipationService>();
        // Replaceable: the recordings area may register its own catalog before this call.
        services.TryAddSingleton<IRecordingCatalog, SqlRecordingCatalog>();
        services.AddSingleton<IRoomOwnerEventSink, ResearchFactSink>();
        return services;
    }
}
