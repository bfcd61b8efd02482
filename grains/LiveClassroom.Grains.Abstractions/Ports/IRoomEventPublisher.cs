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

    /// <summary>
    /// A room that was already live became active on this node: it moved here (its node died or let it go), so work
    /// that follows the live room on its node (the class's recording) continues here. Called from inside the room's
    /// activation, after its state is loaded; not called for a room that is not live. A failure is logged.
    /// </summary>
    Task LiveRoomActivatedAsync(GrainKey room, CancellationToken ct = default);
}
