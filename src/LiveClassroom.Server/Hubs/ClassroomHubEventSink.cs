using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Grains;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// The classroom hub's share of what rooms publish: class events go to the class's ordered dispatcher on this node,
/// wherever the class runs; the events of one state write go together, as one message per connection.
/// </summary>
public sealed class ClassroomHubEventSink(ClassEventDispatcher dispatcher) : IRoomEventSink
{
    public Task OnRoomEventAsync(RoomEvent roomEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roomEvent);
        if (roomEvent.Room.Kind == GrainKinds.Classroom)
        {
            dispatcher.Publish(Message(roomEvent));
        }
        return Task.CompletedTask;
    }

    public Task OnRoomEventsAsync(IReadOnlyList<RoomEvent> roomEvents, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roomEvents);
        var messages = new List<RoomEventMessage>(roomEvents.Count);
        foreach (var roomEvent in roomEvents)
        {
            if (roomEvent.Room.Kind == GrainKinds.Classroom)
            {
                messages.Add(Message(roomEvent));
            }
        }
        // One room's events, consecutive: a single one goes as before (RoomEvent), several as one batch.
        if (messages.Count == 1)
        {
            dispatcher.Publish(messages[0]);
        }
        else if (messages.Count > 1)
        {
            dispatcher.Publish(messages);
        }
        return Task.CompletedTask;
    }

    private static RoomEventMessage Message(RoomEvent e) => new(e.Room.Id, e.Sequence, e.Type, e.At, e.Payload);
}
