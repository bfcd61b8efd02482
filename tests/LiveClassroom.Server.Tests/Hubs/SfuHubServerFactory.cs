using System.Net;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Media;
using LiveClassroom.Server.Media;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary><see cref="HubServerFactory"/> with the real SFU on loopback as the media plane (what the hub tells it is under test).</summary>
public sealed class SfuHubServerFactory : HubServerFactory
{
    public MediaServer Sfu { get; } = new(new MediaServerOptions { BindAddress = IPAddress.Loopback, AdvertisedAddresses = [IPAddress.Loopback] });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<IMediaControl>(new SfuMediaControl(Sfu))));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Sfu.Dispose();
        GC.SuppressFinalize(this);
    }
}
