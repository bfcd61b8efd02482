using LiveClassroom.Grains.Ports;
using LiveClassroom.Media;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveClassroom.Server.Media;

/// <summary>
/// Chooses the media plane behind <see cref="IMediaControl"/>: the SFU in media/ (<c>Media:Mode=Sfu</c>, the default),
/// or <c>Media:Mode=Null</c>, which runs rooms with signaling that answers every well-formed offer but forwards no
/// media (tests of room logic that need no browser).
/// </summary>
public static class MediaControlExtensions
{
    public const string NullMode = "Null";
    public const string SfuMode = "Sfu";

    public static IServiceCollection AddMediaPlane(this IServiceCollection services, IConfiguration config)
    {
        // TURN is handed to browsers whichever media plane runs (coturn relays to the SFU like any peer).
        services.AddSingleton(TurnCredentials.FromConfiguration(config));
        var mode = config["Media:Mode"];
        if (string.Equals(mode, NullMode, StringComparison.OrdinalIgnoreCase))
        {
            services.Replace(ServiceDescriptor.Singleton<IMediaControl, NullMediaControl>());
            return services;
        }
        if (!string.IsNullOrEmpty(mode) && !string.Equals(mode, SfuMode, StringComparison.OrdinalIgnoreCase))
        {
            throw new Hosting.StartupException($"Media:Mode must be {SfuMode} or {NullMode}, not '{mode}'");
        }
        services.AddSingleton(_ => new MediaServer(MediaPlaneOptions.FromConfiguration(config)));
        SfuMediaCascade.Register(services, config);
        services.Replace(ServiceDescriptor.Singleton<IMediaControl, SfuMediaControl>());
        services.AddHostedService<MediaServerHost>();
        if (config.GetValue(BandwidthTraceLog.Setting, false))
        {
            services.AddHostedService<BandwidthTraceLog>();
        }
        return services;
    }
}
