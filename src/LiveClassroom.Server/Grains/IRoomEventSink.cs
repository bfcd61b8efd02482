using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Server.Grains;

/// <summary>
/// Receives the events of the rooms that have connections on this node, wherever in the cluster the room runs
/// (<see cref="RoomSubscriptions"/>): the hubs forward them to their clients. Calls of one room come in sequence order.
/// </summary>
public interface IRoomEventSink
{
    Task OnRoomEventAsync(RoomEvent roomEvent, CancellationToken ct);

    /// <summary>
    /// Consecutive events of one room that one state write carried, in sequence order. By default taken one at a time;
    /// a sink that can deliver them together (the classroom hub: one message per connection) does so.
    /// </summary>
    async Task OnRoomEventsAsync(IReadOnlyList<RoomEvent> roomEvents, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roomEvents);
        foreach (var roomEvent in roomEvents)
        {
            await OnRoomEventAsync(roomEvent, ct);
        }
    }
}
