using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Grains;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// The classroom hub's share of what rooms publish: class events go to the class's ordered dispatcher; a class
/// leaving this node tells its clients (<c>RoomMoved</c>) and detaches them from its group.
/// </summary>
public sealed partial class ClassroomHubEventSink(
    ClassEventDispatcher dispatcher,
    ClassConnections connections,
    IHubContext<ClassroomHub, IClassroomClient> hub,
    RoomOwnerLookup owners,
    ILogger<ClassroomHubEventSink> logger) : IRoomEventSink
{
    public Task OnRoomEventAsync(RoomEvent roomEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roomEvent);
        if (roomEvent.Room.Kind == GrainKinds.Classroom)
        {
            dispatcher.Publish(new RoomEventMessage(roomEvent.Room.Id, roomEvent.Sequence, roomEvent.Type, roomEvent.At, roomEvent.Payload));
        }
        return Task.CompletedTask;
    }

    public Task OnRoomDeactivatedAsync(GrainKey room, DeactivationReason reason, CancellationToken ct)
    {
        if (room.Kind != GrainKinds.Classroom)
        {
            return Task.CompletedTask;
        }
        if (reason is not (DeactivationReason.LeaseLost or DeactivationReason.Fault or DeactivationReason.Shutdown))
        {
            // Idle or requested: the next call reactivates it here; its clients stay. Not awaited: this runs inside
            // the room's turn, which must not wait on slow connections.
            _ = dispatcher.CompleteAsync(room.Id);
            return Task.CompletedTask;
        }
        LogRoomLeft(logger, room.Id, reason);
        var classId = room.Id;
        // Behind the class's pending events, so clients see everything that happened here before the notice.
        _ = dispatcher.CompleteAsync(classId, async () =>
        {
            var group = ClassEventDispatcher.GroupName(classId);
            await hub.Clients.Group(group).RoomMoved(new RoomMovedMessage(classId, await owners.NewOwnerUrlAsync(room)));
            foreach (var connectionId in connections.RemoveRoom(classId))
            {
                await hub.Groups.RemoveFromGroupAsync(connectionId, group, CancellationToken.None);
            }
        });
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Class {ClassId} left this node ({Reason}); its clients are told to reconnect")]
    private static partial void LogRoomLeft(ILogger logger, string classId, DeactivationReason reason);
}
