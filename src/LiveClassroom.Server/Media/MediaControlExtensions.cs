using LiveClassroom.Grains.Ports;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveClassroom.Server.Media;

/// <summary>
/// Chooses the media plane behind <see cref="IMediaControl"/>. <c>Media:Mode=Null</c> (the default until the SFU
/// adapter is wired) runs rooms without forwarding media; any other value leaves the registration to the SFU wiring.
/// </summary>
public static class MediaControlExtensions
{
    public const string NullMode = "Null";

    public static IServiceCollection AddNullMediaControlIfSelected(this IServiceCollection services, IConfiguration config)
    {
        var mode = config["Media:Mode"];
        if (string.IsNullOrWhiteSpace(mode) || string.Equals(mode, NullMode, StringComparison.OrdinalIgnoreCase))
        {
            services.TryAddSingleton<IMediaControl, NullMediaControl>();
        }
        return services;
    }
}
