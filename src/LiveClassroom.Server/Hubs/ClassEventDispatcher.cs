using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Delivers class events to the class's connections on this node in the order the grain produced them, through the
/// shared <see cref="OrderedGroupDelivery"/> (one pump per class; the research hub uses the same delivery for its
/// sessions). Each send goes to every audience group of the class here (<see cref="ClassEventAudience"/>): a connection
/// is in exactly one, so it sees the class's sends in order. A rural classroom's audience gets a batch (possibly empty)
/// in place of what it is not sent, so its sequence still has no gaps.
/// </summary>
public sealed class ClassEventDispatcher(
    IHubContext<ClassroomHub, IClassroomClient> hub, OrderedGroupDelivery delivery, ClassConnections connections, ClassroomHubMetrics metrics)
{
    public static string GroupName(string classId) => "class:" + classId;

    /// <summary>Queues an event for its class; never blocks the grain.</summary>
    public void Publish(RoomEventMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        delivery.Enqueue(GroupName(message.ClassId), () => SendAsync(message.ClassId, [message], single: true));
    }

    /// <summary>
    /// Queues consecutive events of one class (one state write's, in sequence order) as one <c>RoomEvents</c> message
    /// per connection, behind the class's earlier sends; never blocks the grain.
    /// </summary>
    public void Publish(IReadOnlyList<RoomEventMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        delivery.Enqueue(GroupName(messages[0].ClassId), () => SendAsync(messages[0].ClassId, messages, single: false));
    }

    private Task SendAsync(string classId, IReadOnlyList<RoomEventMessage> messages, bool single)
    {
        var sends = new List<Task>();
        foreach (var (group, classroomId, count) in connections.Audiences(classId))
        {
            var events = classroomId is null ? messages : ClassEventAudience.For(messages, classroomId);
            var clients = hub.Clients.Group(group);
            if (single && events.Count == 1)
            {
                metrics.Sent(batch: false, count, 1);
                sends.Add(clients.RoomEvent(events[0]));
            }
            else
            {
                metrics.Sent(batch: true, count, events.Count);
                sends.Add(clients.RoomEvents(new RoomEventBatch(classId, messages[0].Seq, messages[^1].Seq, events)));
            }
        }
        return Task.WhenAll(sends);
    }
}
