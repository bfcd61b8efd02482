using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Server.Grains;

/// <summary>
/// Receives what the rooms on this node publish (register with <c>services.AddSingleton&lt;IRoomEventSink, …&gt;()</c>;
/// the hub forwards events to the room's clients and, on a LeaseLost/Fault/Shutdown deactivation, disconnects them).
/// Called from inside the room's turn, in sequence order: keep it quick and do not call back into the same room.
/// </summary>
public interface IRoomEventSink
{
    Task OnRoomEventAsync(RoomEvent roomEvent, CancellationToken ct);

    Task OnRoomDeactivatedAsync(GrainKey room, DeactivationReason reason, CancellationToken ct);
}
