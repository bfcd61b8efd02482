using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Delivers class events to the class's connections on this node in the order the grain produced them, through the
/// shared <see cref="OrderedGroupDelivery"/> (one pump per class; the research hub uses the same delivery for its
/// sessions). Each send goes to every audience group of the class here (<see cref="ClassEventAudience"/>): a connection
/// is in exactly one, so it sees the class's sends in order. A rural classroom's audience is sent nothing for a write
/// with nothing for it; its next batch's <c>first</c> covers what it was not sent (<see cref="ClassAudienceCursor"/>),
/// so its sequence still has no gaps.
/// </summary>
public sealed class ClassEventDispatcher(
    IHubContext<ClassroomHub, IClassroomClient> hub, OrderedGroupDelivery delivery, ClassConnections connections, ClassroomHubMetrics metrics)
{
    private readonly ConcurrentDictionary<string, ClassAudienceCursor> _cursors = new(StringComparer.Ordinal);

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
        var audiences = connections.Audiences(classId);
        if (audiences.Count == 0)
        {
            // Nobody here: a page that joins later has everything before its snapshot.
            _cursors.TryRemove(classId, out _);
            return Task.CompletedTask;
        }
        var cursor = _cursors.GetOrAdd(classId, _ => new ClassAudienceCursor());
        cursor.Begin(messages);
        var sends = new List<Task>();
        foreach (var (group, classroomId, count) in audiences)
        {
            var clients = hub.Clients.Group(group);
            if (classroomId is null)
            {
                sends.Add(Send(clients, classId, messages[0].Seq, messages, single, count));
                continue;
            }
            var events = ClassEventAudience.For(messages, classroomId);
            if (events.Count == 0)
            {
                // Nothing for this classroom: its next batch's first covers these numbers.
                metrics.Withheld(count, messages.Count);
                continue;
            }
            sends.Add(Send(clients, classId, Math.Min(cursor.FirstFor(classroomId), messages[0].Seq), events, single, count, messages[^1].Seq));
        }
        cursor.Dispatched(messages);
        return Task.WhenAll(sends);
    }

    private Task Send(IClassroomClient clients, string classId, long first, IReadOnlyList<RoomEventMessage> events, bool single, int count, long? last = null)
    {
        var through = last ?? events[^1].Seq;
        if (single && events.Count == 1 && first == events[0].Seq && through == events[0].Seq)
        {
            metrics.Sent(batch: false, count, 1);
            return clients.RoomEvent(events[0]);
        }
        metrics.Sent(batch: true, count, events.Count);
        return clients.RoomEvents(new RoomEventBatch(classId, first, through, events));
    }
}
