using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Cascade;

/// <summary>
/// One node's media plane, reachable from a class's grain on any node (and from a hub node, for media quality notices and take-overs). Keyed by the node's silo address and activated
/// only on that node (a call for a node that is gone fails instead of landing elsewhere). Media calls mean what they
/// mean on <see cref="IMediaControl"/>.
/// </summary>
[Alias("lc.IMediaNodeGrain")]
public interface IMediaNodeGrain : IGrainWithStringKey
{
    [Alias("load")]
    Task<MediaNodeLoad> GetLoadAsync();

    [Alias("negotiate")]
    Task<string> NegotiateAsync(string roomId, string peerId, string sdpOffer, PublishedTracks publish);

    [Alias("route")]
    Task RouteAsync(string roomId, string subscriberPeerId, string slotMid, MediaSource? source);

    [Alias("remove")]
    Task RemovePeerAsync(string roomId, string peerId);

    /// <summary>Opens this node's end of a relay link.</summary>
    [Alias("receive")]
    Task ReceiveAsync(string roomId, uint linkId, byte[] key, string originRelayEndPoint);

    /// <summary>Waits (up to 3 s) until these peers (relayed publishers' stand-ins) are in the room here; false if they are not.</summary>
    [Alias("wait-peers")]
    Task<bool> WaitForPeersAsync(string roomId, IReadOnlyList<string> peerIds);

    [Alias("close-link")]
    Task CloseLinkAsync(uint linkId);

    /// <summary>
    /// Opens (or updates) a link from this node's room to <paramref name="receiverRelayEndPoint"/>, feeding it these
    /// publishers: an edge's stage classroom fed back to the origin (the reverse feed).
    /// </summary>
    [Alias("feed")]
    Task FeedAsync(string roomId, uint linkId, byte[] key, string receiverRelayEndPoint, IReadOnlyList<string> publisherPeerIds);

    [Alias("mute")]
    Task SetPublisherAudioMutedAsync(string roomId, string publisherPeerId, bool muted);

    /// <summary>The links of the room's peers on this node as its SFU measures them (relay stand-ins included).</summary>
    [Alias("stats")]
    Task<IReadOnlyList<PeerMediaStats>> GetStatsAsync(string roomId);

    /// <summary>
    /// On the peer's media node: the hub connection holding the peer is on <paramref name="ownerNodeId"/>, so its media
    /// quality notices go there; the last one is raised again (<see cref="IMediaQualityNotices.Claim"/>). A claim with a
    /// lower <paramref name="sequence"/> (<see cref="Classroom.MediaAnswer.HolderSequence"/>) than the one held changes nothing.
    /// </summary>
    [Alias("claim-quality")]
    Task<bool> ClaimQualityNoticesAsync(string roomId, string peerId, string ownerNodeId, long sequence);

    /// <summary>On the hub's node: a notice from the peer's media node, for the connection holding the peer here.</summary>
    [Alias("deliver-quality")]
    Task DeliverQualityNoticeAsync(string roomId, string peerId, MediaQualityNotice notice);

    /// <summary>
    /// On the node of a hub connection that held a media peer: another connection (on another node) took it over, so
    /// this one is told <c>MediaTakenOver</c> (<see cref="IMediaTakeovers.TellTakenOverAsync"/>).
    /// </summary>
    [Alias("taken-over")]
    Task TellMediaTakenOverAsync(MediaRoomKind kind, string roomId, string principalId, string connectionId);
}
