namespace LiveClassroom.Grains.Ports;

/// <summary>
/// Where grains send what happened, implemented by the server (the hub forwards to the room's clients).
/// Events of one room arrive in sequence order, one at a time, from inside the room's turn, after the change they
/// describe has been persisted. A publisher failure is logged by the host and does not undo the change: clients
/// that see a sequence gap resync from a snapshot.
/// </summary>
public interface IRoomEventPublisher
{
    Task PublishAsync(RoomEvent roomEvent, CancellationToken ct = default);

    /// <summary>
    /// The room stopped being active on this node. For <see cref="DeactivationReason.LeaseLost"/>,
    /// <see cref="DeactivationReason.Fault"/> and <see cref="DeactivationReason.Shutdown"/> its clients must be
    /// disconnected (hub: <c>RoomMoved</c>) so they rejoin wherever the room activates next.
    /// </summary>
    Task RoomDeactivatedAsync(GrainKey room, DeactivationReason reason, CancellationToken ct = default);
}
