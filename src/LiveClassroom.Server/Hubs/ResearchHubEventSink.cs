using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Research;
using LiveClassroom.Server.Grains;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// The research hub's share of what rooms publish: every <c>LiveChanged</c> of a session goes, in order, to the
/// session's group as <c>ResearchEvent</c> with the participants' snapshot; a session leaving this node tells its
/// clients (<c>RoomMoved</c>) and detaches them from its group.
/// </summary>
public sealed partial class ResearchHubEventSink(
    OrderedGroupDelivery delivery,
    ResearchConnections connections,
    IHubContext<ResearchHub, IResearchClient> hub,
    RoomDeparture departure,
    ILogger<ResearchHubEventSink> logger) : IRoomEventSink
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

    public Task OnRoomDeactivatedAsync(GrainKey room, DeactivationReason reason, CancellationToken ct)
    {
        if (room.Kind == GrainKinds.Research && Guid.TryParse(room.Id, out var sessionId)
            && departure.OnDeactivated(room, reason, ResearchHub.GroupName(sessionId), hub, () => connections.RemoveRoom(sessionId.ToString())))
        {
            LogRoomLeft(logger, sessionId, reason);
        }
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Research session {SessionId} left this node ({Reason}); its clients are told to reconnect")]
    private static partial void LogRoomLeft(ILogger logger, Guid sessionId, DeactivationReason reason);
}
