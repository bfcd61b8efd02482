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
}
