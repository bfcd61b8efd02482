namespace LiveClassroom.Grains.Ports;

/// <summary>
/// Where a room hands its events on the node that hosts it, implemented by the server (recordings, research facts:
/// work done once per event, wherever the room runs). Events of one room arrive in sequence order, one at a time,
/// from inside the room's turn, after the change they describe has been persisted. A failure is logged and does not
/// undo the change. Delivery to the nodes that hold the room's connections goes through <see cref="IRoomObserver"/>s.
/// </summary>
public interface IRoomEventPublisher
{
    Task PublishAsync(RoomEvent roomEvent, CancellationToken ct = default);
}
