using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Server.Grains;

/// <summary>
/// Receives each event once, on the node where the room is active, from inside the room's turn (recordings,
/// research facts, "class opened" notices). Keep it quick and do not call back into the same room.
/// </summary>
public interface IRoomOwnerEventSink
{
    Task OnRoomEventAsync(RoomEvent roomEvent, CancellationToken ct);
}
