using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Server.Grains;

/// <summary>
/// The silo's <see cref="IRoomEventPublisher"/>: hands each event to every <see cref="IRoomOwnerEventSink"/>, and each live
/// room's activation to every <see cref="IRoomActivationSink"/>; one failing sink does not stop the others.
/// </summary>
public sealed partial class RoomEventDispatcher(
    IEnumerable<IRoomOwnerEventSink> sinks, IEnumerable<IRoomActivationSink> activationSinks, ILogger<RoomEventDispatcher> logger) : IRoomEventPublisher
{
    private readonly IRoomOwnerEventSink[] _sinks = [.. sinks];
    private readonly IRoomActivationSink[] _activationSinks = [.. activationSinks];

    public async Task LiveRoomActivatedAsync(GrainKey room, CancellationToken ct = default)
    {
        foreach (var sink in _activationSinks)
        {
            try
            {
                await sink.OnLiveRoomActivatedAsync(room, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSinkFailed(logger, ex, sink.GetType().Name, room);
            }
        }
    }

    public async Task PublishAsync(RoomEvent roomEvent, CancellationToken ct = default)
    {
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.OnRoomEventAsync(roomEvent, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSinkFailed(logger, ex, sink.GetType().Name, roomEvent.Room);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room event sink {Sink} failed for {Room}")]
    private static partial void LogSinkFailed(ILogger logger, Exception error, string sink, GrainKey room);
}
