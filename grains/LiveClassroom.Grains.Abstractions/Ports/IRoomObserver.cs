namespace LiveClassroom.Grains.Ports;

/// <summary>
/// One server node's receiver of a room's events (a grain observer). Calls come one at a time per room in sequence
/// order; a node that sees a gap (it missed a call while the room moved) resyncs its clients from a snapshot.
/// </summary>
[Alias("lc.IRoomObserver")]
public interface IRoomObserver : IGrainObserver
{
    [Alias("OnRoomEvent")]
    Task OnRoomEventAsync(RoomEvent roomEvent);
}
