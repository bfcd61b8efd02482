using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Delivers class events to the class's SignalR group in the order the grain produced them, through the shared
/// <see cref="OrderedGroupDelivery"/> (the research hub uses the same delivery for its sessions).
/// </summary>
public sealed class ClassEventDispatcher(
    IHubContext<ClassroomHub, IClassroomClient> hub, OrderedGroupDelivery delivery, ClassConnections connections, ClassroomHubMetrics metrics)
{
    public static string GroupName(string classId) => "class:" + classId;

    /// <summary>Queues an event for its class's group; never blocks the grain.</summary>
    public void Publish(RoomEventMessage message)
    {
        var group = GroupName(message.ClassId);
        var clients = hub.Clients.Group(group);
        delivery.Enqueue(group, () =>
        {
            metrics.Sent(batch: false, connections.Count(message.ClassId), 1);
            return clients.RoomEvent(message);
        });
    }

    /// <summary>
    /// Queues consecutive events of one class (one state write's, in sequence order) as one <c>RoomEvents</c> message
    /// per connection, behind the class's earlier sends; never blocks the grain.
    /// </summary>
    public void Publish(IReadOnlyList<RoomEventMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var classId = messages[0].ClassId;
        var group = GroupName(classId);
        var clients = hub.Clients.Group(group);
        var batch = new RoomEventBatch(classId, messages[0].Seq, messages[^1].Seq, messages);
        delivery.Enqueue(group, () =>
        {
            metrics.Sent(batch: true, connections.Count(classId), messages.Count);
            return clients.RoomEvents(batch);
        });
    }
}
