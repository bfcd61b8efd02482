using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains;

/// <summary>
/// A grain whose changes are <see cref="RoomEvent"/>s. Each server node that holds connections of the room subscribes
/// one observer and renews it every few seconds: a subscription lives only in the activation's memory, so a room
/// that activated elsewhere (a node died, the room was idle) is found again by the next renewal.
/// </summary>
[Alias("lc.IRoomGrain")]
public interface IRoomGrain : IGrainWithStringKey
{
    /// <summary>Adds or renews a node's observer; it receives every later event of this room, in sequence order.</summary>
    [Alias("Subscribe")]
    Task SubscribeAsync(IRoomObserver observer);

    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(IRoomObserver observer);
}
