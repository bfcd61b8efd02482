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

    /// <summary>
    /// Several consecutive events of one room, in sequence order, as one call: those one state write carried (many
    /// media negotiations sharing a write after an edge node was lost), so the room does not wait for one round trip
    /// per event and node. Taken as <see cref="OnRoomEventAsync"/> of each in turn.
    /// </summary>
    [Alias("OnRoomEvents")]
    Task OnRoomEventsAsync(IReadOnlyList<RoomEvent> roomEvents);
}
