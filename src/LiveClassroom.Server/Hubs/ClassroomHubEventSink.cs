using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Grains;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// The classroom hub's share of what rooms publish: class events go to the class's ordered dispatcher on this node,
/// wherever the class runs.
/// </summary>
public sealed class ClassroomHubEventSink(ClassEventDispatcher dispatcher) : IRoomEventSink
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

}
