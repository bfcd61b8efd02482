using LiveClassroom.Media;

namespace LiveClassroom.Server.Media;

/// <summary>Starts the SFU with the host, so a media port already in use fails start-up with one clear line.</summary>
public sealed partial class MediaServerHost(IServiceProvider services, ILogger<MediaServerHost> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var server = services.GetRequiredService<MediaServer>();
        LogListening(logger, server.LocalEndPoint.ToString(), server.TcpLocalEndPoint?.ToString() ?? "off", string.Join(", ", server.Options.AdvertisedAddresses));
        if (services.GetService<MediaRelay>() is { } relay)
        {
            LogRelay(logger, relay.LocalEndPoint.ToString());
        }
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Media relay (cascade between nodes) listening on UDP {EndPoint}")]
    private static partial void LogRelay(ILogger logger, string endPoint);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Media (WebRTC SFU) listening on UDP {EndPoint}, ICE-TCP {TcpEndPoint}, advertising {Addresses}")]
    private static partial void LogListening(ILogger logger, string endPoint, string tcpEndPoint, string addresses);
}
