namespace LiveClassroom.Grains.Ports;

/// <summary>
/// This node's part in classes spread over several nodes (implemented by the server over its SFU and relay socket):
/// its load and capacity, its relay endpoint, and the relay links it opens. Null in <c>GrainServices</c> turns cascading off.
/// </summary>
public interface IMediaCascade
{
    /// <summary>This node: its silo address as <c>SiloAddress.ToParsableString</c> gives it.</summary>
    string NodeId { get; }

    /// <summary>Subscribers (peers) this node's SFU should carry at most; 0: no limit, classes never spread from here.</summary>
    int CapacitySubscribers { get; }

    /// <summary>Where other nodes reach this node's relay socket, "address:port".</summary>
    string RelayEndPoint { get; }

    /// <summary>Browser peers on this node's SFU now, all rooms (relay stand-ins not counted).</summary>
    int Subscribers { get; }

    /// <summary>Origin: feeds the edge at <paramref name="edgeRelayEndPoint"/> the tracks of <paramref name="publisherPeerIds"/>; again for an open link, updates them.</summary>
    void Feed(string roomId, uint linkId, byte[] key, string edgeRelayEndPoint, IReadOnlyCollection<string> publisherPeerIds);

    /// <summary>Edge: takes what the origin at <paramref name="originRelayEndPoint"/> feeds for the room.</summary>
    void Receive(string roomId, uint linkId, byte[] key, string originRelayEndPoint);

    /// <summary>Whether the room here has these peers (an edge's stand-ins appear with the origin's first track table).</summary>
    bool HasPeers(string roomId, IReadOnlyCollection<string> peerIds);

    /// <summary>How long the other end of an open link has sent nothing (heartbeats come four times a second); null when the link is not open.</summary>
    TimeSpan? Silence(uint linkId);

    void Close(uint linkId);
}
