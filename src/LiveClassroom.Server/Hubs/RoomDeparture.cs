using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// What a room hub does when one of its rooms' grains deactivates here. A room that stays on this node (idle,
/// requested) only retires its delivery channel: its clients stay and the next call reactivates it here. A room that
/// left (lease lost, fault, shutdown) tells its clients where it went (<c>RoomMoved</c>) behind its pending events,
/// so they see everything that happened here first, and detaches them from its group.
/// </summary>
public sealed class RoomDeparture(OrderedGroupDelivery delivery, RoomOwnerLookup owners)
{
    /// <summary>Not awaited inside: this runs in the room's turn, which must not wait on slow connections.</summary>
    /// <param name="detach">Forgets the room's connections and answers their ids.</param>
    /// <returns>true when the room left this node.</returns>
    public bool OnDeactivated<THub, TClient>(GrainKey room, DeactivationReason reason, string group, IHubContext<THub, TClient> hub,
        Func<IReadOnlyList<string>> detach)
        where THub : Hub<TClient>
        where TClient : class, IRoomMovedClient
    {
        if (reason is not (DeactivationReason.LeaseLost or DeactivationReason.Fault or DeactivationReason.Shutdown))
        {
            _ = delivery.CompleteAsync(group);
            return false;
        }
        _ = delivery.CompleteAsync(group, async () =>
        {
            await hub.Clients.Group(group).RoomMoved(new RoomMovedMessage(room.Id, await owners.NewOwnerUrlAsync(room)));
            foreach (var connectionId in detach())
            {
                await hub.Groups.RemoveFromGroupAsync(connectionId, group, CancellationToken.None);
            }
        });
        return true;
    }
}
