using LiveClassroom.Media;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Tells a participant's page when the SFU pauses or resumes its video for lack of bandwidth (audio-first) or moves it
/// to another layer: the SFU's <see cref="MediaServer.MediaQualityChanged"/> (room = class id, peer = principal id) goes
/// to the one classroom-hub connection holding that media peer on this node. Nothing for other rooms (research).
/// A connection that takes the media peer over (its Negotiate, e.g. after a hub rejoin) is sent the last notice again
/// (<see cref="Repeat"/>): the SFU, whose choice did not change, would otherwise say nothing, and a paused video would
/// stay paused without the page knowing (RuralLinkFigures, 150 kbit/s: the stall watch replaced the hub 5 s into a pause).
/// </summary>
public sealed partial class MediaQualityNotifier : IHostedService, IDisposable
{
    private readonly MediaServer? _media;
    private readonly ClassConnections _connections;
    private readonly IHubContext<ClassroomHub, IClassroomClient> _hub;
    private readonly ILogger<MediaQualityNotifier> _logger;

    public MediaQualityNotifier(IServiceProvider services, ClassConnections connections, IHubContext<ClassroomHub, IClassroomClient> hub,
        ILogger<MediaQualityNotifier> logger)
    {
        _media = services.GetService<MediaServer>();
        _connections = connections;
        _hub = hub;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_media is not null)
        {
            _media.MediaQualityChanged += OnQualityChanged;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    // Raised on the SFU's event dispatcher, one at a time and in order: the send is awaited there so notices keep their order.
    internal void OnQualityChanged(object? sender, MediaQualityEventArgs e)
    {
        if (_connections.MediaOwner(e.RoomId, e.PeerId) is not { } connectionId)
        {
            return;
        }
        var message = new MediaQualityMessage(e.RoomId, e.VideoPaused, e.Layer, e.EstimatedBitrateBps / 1000);
        LogQuality(_logger, e.RoomId, e.PeerId, e.VideoPaused, e.Layer ?? "none", message.EstimateKbps);
        try
        {
            _hub.Clients.Client(connectionId).MediaQuality(message).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or OperationCanceledException)
        {
            LogNotDelivered(_logger, e.RoomId, ex.GetType().Name);
        }
    }

    /// <summary>
    /// After <paramref name="principalId"/>'s connection claimed its media peer in the class: the SFU raises its last
    /// notice for that peer again, through the same ordered dispatch as every change, so it reaches the new owner and
    /// cannot overtake a change. Nothing when the peer's media is not on this node or nothing was reported yet.
    /// </summary>
    public bool Repeat(string classId, string principalId) =>
        _media?.GetRoom(classId)?.RepeatMediaQuality(principalId) ?? false;

    public void Dispose()
    {
        if (_media is not null)
        {
            _media.MediaQualityChanged -= OnQualityChanged;
        }
    }

    // The participant's id (not a name) tells which classroom's link a line is about when several share a class.
    [LoggerMessage(Level = LogLevel.Information, Message = "Class {ClassId}: participant {PeerId}'s video is now paused={Paused}, layer {Layer}, estimate {EstimateKbps} kbps")]
    private static partial void LogQuality(ILogger logger, string classId, string peerId, bool paused, string layer, long estimateKbps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Class {ClassId}: media quality notice not delivered ({Reason})")]
    private static partial void LogNotDelivered(ILogger logger, string classId, string reason);
}
