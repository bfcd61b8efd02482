using LiveClassroom.Grains;

namespace LiveClassroom.Server.Grains;

/// <summary>
/// Told when a room that was already live becomes active on this node (it moved here: its node died or let it go), from
/// inside the room's activation. Keep it quick and do not call back into the same room from the call itself.
/// </summary>
public interface IRoomActivationSink
{
    Task OnLiveRoomActivatedAsync(GrainKey room, CancellationToken ct);
}
