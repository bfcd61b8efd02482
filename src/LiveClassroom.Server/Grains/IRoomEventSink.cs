using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Server.Grains;

/// <summary>
/// Receives the events of the rooms that have connections on this node, wherever in the cluster the room runs
/// (<see cref="RoomSubscriptions"/>): the hubs forward them to their clients. Calls of one room come in sequence order.
/// </summary>
public interface IRoomEventSink
{
    Task OnRoomEventAsync(RoomEvent roomEvent, CancellationToken ct);
}
