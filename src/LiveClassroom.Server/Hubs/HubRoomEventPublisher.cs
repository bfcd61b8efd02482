using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// The grains' event port, implemented over the classroom hub: class events go to the class's ordered
/// dispatcher; a class leaving this node tells its clients (<c>RoomMoved</c>) and detaches them from its group.
/// </summary>
public sealed partial class HubRoomEventPublisher(
    ClassEventDispatcher dispatcher,
    ClassConnections connections,
    IHubContext<ClassroomHub, IClassroomClient> hub,
    ILogger<HubRoomEventPublisher> logger) : IRoomEventPublisher
{
    public Task PublishAsync(RoomEvent roomEvent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(roomEvent);
        if (roomEvent.Room.Kind == GrainKinds.Classroom)
        {
            dispatcher.Publish(new RoomEventMessage(roomEvent.Room.Id, roomEvent.Sequence, roomEvent.Type, roomEvent.At, roomEvent.Payload));
        }
        return Task.CompletedTask;
    }

    public Task RoomDeactivatedAsync(GrainKey room, DeactivationReason reason, CancellationToken ct = default)
    {
        if (room.Kind != GrainKinds.Classroom)
        {
            return Task.CompletedTask;
        }
        if (reason is not (DeactivationReason.LeaseLost or DeactivationReason.Fault or DeactivationReason.Shutdown))
        {
            // Idle or requested: the next call reactivates it here; its clients stay.
            return dispatcher.CompleteAsync(room.Id);
        }
        LogRoomLeft(logger, room.Id, reason);
        var classId = room.Id;
        // Behind the class's pending events, so clients see everything that happened here before the notice.
        _ = dispatcher.CompleteAsync(classId, async () =>
        {
            var group = ClassEventDispatcher.GroupName(classId);
            await hub.Clients.Group(group).RoomMoved(new RoomMovedMessage(classId, null));
            foreach (var connectionId in connections.RemoveClass(classId))
            {
                await hub.Groups.RemoveFromGroupAsync(connectionId, group, CancellationToken.None);
            }
        });
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Class {ClassId} left this node ({Reason}); its clients are told to reconnect")]
    private static partial void LogRoomLeft(ILogger logger, string classId, DeactivationReason reason);
}
