namespace LiveClassroom.Grains.Ports;

/// <summary>
/// The SFU's media-quality notices between nodes (implemented by the server; docs/CASCADE.md): a participant's hub
/// connection and its media peer may be on different nodes. The hub's node claims the peer's notices on the media node
/// after each Negotiate; the media node then sends each notice for that peer to the claiming node, which hands it to the
/// connection holding the peer there. Null in <c>GrainServices</c>: notices stay on their media node.
/// </summary>
public interface IMediaQualityNotices
{
    /// <summary>
    /// Media node: the connection holding <paramref name="peerId"/>'s media in the room is on <paramref name="ownerNodeId"/>
    /// (a silo address, <c>SiloAddress.ToParsableString</c>); from now on its notices go there. The SFU then raises its
    /// last notice for the peer again, in order with any change. False when nothing was repeated (no such room or peer,
    /// nothing reported yet, or an id that cannot be one), and when the claim is older than the one held: its
    /// <paramref name="sequence"/> (the negotiation's <c>MediaAnswer.HolderSequence</c>) is lower. 0: not ordered.
    /// </summary>
    bool Claim(string roomId, string peerId, string ownerNodeId, long sequence);

    /// <summary>Hub node: a notice raised on another node's SFU, for the connection here holding the peer; nothing if none does.</summary>
    Task DeliverAsync(string roomId, string peerId, MediaQualityNotice notice);
}
