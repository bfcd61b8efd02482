using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Server.Grains;

/// <summary>
/// Stands in until the SFU adapter is registered (it replaces this by registering its own <see cref="IMediaControl"/>):
/// rooms run, media negotiation is refused with a clear message.
/// </summary>
public sealed class NoMediaControl : IMediaControl
{
    public Task OpenRoomAsync(string roomId, CancellationToken ct = default) => Task.CompletedTask;

    public Task CloseRoomAsync(string roomId, CancellationToken ct = default) => Task.CompletedTask;

    public Task<string> NegotiateAsync(string roomId, string peerId, string sdpOffer, CancellationToken ct = default) =>
        throw new NotSupportedException("this node has no media server configured");

    public Task RemovePeerAsync(string roomId, string peerId, CancellationToken ct = default) => Task.CompletedTask;

    public Task RouteAsync(string roomId, string subscriberPeerId, string slotMid, MediaSource? source, CancellationToken ct = default) => Task.CompletedTask;

    public Task SetPublisherAudioMutedAsync(string roomId, string publisherPeerId, bool muted, CancellationToken ct = default) => Task.CompletedTask;

    public Task<IReadOnlyList<PeerMediaStats>> GetStatsAsync(string roomId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<PeerMediaStats>>([]);
}
