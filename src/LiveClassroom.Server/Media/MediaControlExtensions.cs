using LiveClassroom.Grains.Ports;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveClassroom.Server.Media;

/// <summary>
/// Chooses the media plane behind <see cref="IMediaControl"/>. <c>Media:Mode=Null</c> runs rooms with signaling that
/// answers every well-formed offer but forwards no media (for tests and demos until the SFU adapter is wired); any
/// other value leaves the registration to the SFU wiring (or the grains' stand-in, which refuses negotiation).
/// </summary>
public static class MediaControlExtensions
{
    public const string NullMode = "Null";

    public static IServiceCollection AddNullMediaControlIfSelected(this IServiceCollection services, IConfiguration config)
    {
        if (string.Equals(config["Media:Mode"], NullMode, StringComparison.OrdinalIgnoreCase))
        {
            services.Replace(ServiceDescriptor.Singleton<IMediaControl, NullMediaControl>());
        }
        return services;
    }
}
