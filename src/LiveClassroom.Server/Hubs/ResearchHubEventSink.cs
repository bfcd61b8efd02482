using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Research;
using LiveClassroom.Server.Grains;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// The research hub's share of what rooms publish: every <c>LiveChanged</c> of a session goes, in order, to the
/// session's group on this node as <c>ResearchEvent</c> with the participants' snapshot, wherever the session runs.
/// </summary>
public sealed class ResearchHubEventSink(
    OrderedGroupDelivery delivery,
    IHubContext<ResearchHub, IResearchClient> hub) : IRoomEventSink
{
    public Task OnRoomEventAsync(RoomEvent roomEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roomEvent);
        if (roomEvent.Room.Kind == GrainKinds.Research && roomEvent.Type == ResearchEventTypes.LiveChanged
            && roomEvent.Payload is ResearchLiveChanged changed && Guid.TryParse(roomEvent.Room.Id, out var sessionId))
        {
            var group = ResearchHub.GroupName(sessionId);
            var clients = hub.Clients.Group(group);
            var message = new ResearchEventMessage(sessionId, roomEvent.Sequence, roomEvent.Type, roomEvent.At, changed.Snapshot);
            delivery.Enqueue(group, () => clients.ResearchEvent(message));
        }
        return Task.CompletedTask;
    }

}
