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
    RoomDeparture departure,
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
        if (room.Kind == GrainKinds.Classroom
            && departure.OnDeactivated(room, reason, ClassEventDispatcher.GroupName(room.Id), hub, () => connections.RemoveRoom(room.Id)))
        {
            LogRoomLeft(logger, room.Id, reason);
        }
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Class {ClassId} left this node ({Reason}); its clients are told to reconnect")]
    private static partial void LogRoomLeft(ILogger logger, string classId, DeactivationReason reason);
}
