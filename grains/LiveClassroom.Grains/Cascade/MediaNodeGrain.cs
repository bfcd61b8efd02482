using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Rooms;

namespace LiveClassroom.Grains.Cascade;

/// <summary>
/// One node's media plane for classes whose grain is on another node: the node's SFU and relay, through the ports.
/// Reentrant: every call is a short port call or a wait that holds nothing.
/// </summary>
[GrainType("media-node")]
[NodePinnedPlacement]
[Orleans.Concurrency.Reentrant]
internal sealed class MediaNodeGrain(GrainServices services) : Grain, IMediaNodeGrain
{
    private static readonly TimeSpan PublishersWait = TimeSpan.FromSeconds(3);

    private IMediaCascade Cascade => services.Cascade ?? throw new InvalidOperationException("this node has no media relay");

    public Task<MediaNodeLoad> GetLoadAsync() =>
        Task.FromResult(new MediaNodeLoad(Cascade.NodeId, Cascade.Subscribers, Cascade.CapacitySubscribers, Cascade.RelayEndPoint));

    public Task<string> NegotiateAsync(string roomId, string peerId, string sdpOffer, PublishedTracks publish) =>
        services.Media.NegotiateAsync(roomId, peerId, sdpOffer, publish);

    public Task RouteAsync(string roomId, string subscriberPeerId, string slotMid, MediaSource? source) =>
        services.Media.RouteAsync(roomId, subscriberPeerId, slotMid, source);

    public Task RemovePeerAsync(string roomId, string peerId) => services.Media.RemovePeerAsync(roomId, peerId);

    public Task ReceiveAsync(string roomId, uint linkId, byte[] key, string originRelayEndPoint)
    {
        Cascade.Receive(roomId, linkId, key, originRelayEndPoint);
        return Task.CompletedTask;
    }

    public async Task<bool> WaitForPeersAsync(string roomId, IReadOnlyList<string> peerIds)
    {
        // Polled: the stand-ins appear on the relay's thread, outside any grain. Reentrant, so other classes' calls go on.
        var deadline = Environment.TickCount64 + (long)PublishersWait.TotalMilliseconds;
        while (!Cascade.HasPeers(roomId, peerIds))
        {
            if (Environment.TickCount64 >= deadline)
            {
                return false;
            }
            await Task.Delay(50);
        }
        return true;
    }

    public Task CloseLinkAsync(uint linkId)
    {
        Cascade.Close(linkId);
        return Task.CompletedTask;
    }

    public Task FeedAsync(string roomId, uint linkId, byte[] key, string receiverRelayEndPoint, IReadOnlyList<string> publisherPeerIds)
    {
        Cascade.Feed(roomId, linkId, key, receiverRelayEndPoint, publisherPeerIds);
        return Task.CompletedTask;
    }

    public Task SetPublisherAudioMutedAsync(string roomId, string publisherPeerId, bool muted) =>
        services.Media.SetPublisherAudioMutedAsync(roomId, publisherPeerId, muted);

    public Task<IReadOnlyList<PeerMediaStats>> GetStatsAsync(string roomId) => services.Media.GetStatsAsync(roomId);

    // Without the port (grain tests, a host without hubs) notices stay where they are raised.
    public Task<bool> ClaimQualityNoticesAsync(string roomId, string peerId, string ownerNodeId, long sequence) =>
        Task.FromResult(services.QualityNotices?.Claim(roomId, peerId, ownerNodeId, sequence) ?? false);

    public Task DeliverQualityNoticeAsync(string roomId, string peerId, MediaQualityNotice notice) =>
        services.QualityNotices?.DeliverAsync(roomId, peerId, notice) ?? Task.CompletedTask;

    public Task TellMediaTakenOverAsync(MediaRoomKind kind, string roomId, string principalId, string connectionId) =>
        services.Takeovers?.TellTakenOverAsync(kind, roomId, principalId, connectionId) ?? Task.CompletedTask;
}
