using System.Collections.Concurrent;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Tests.Doubles;

/// <summary>
/// Stands in for one node's relay and load in a cascade: its subscribers are the peers negotiated on the node's
/// <see cref="RecordingMediaControl"/>; the links it opens are recorded. A link towards a relay endpoint the test has
/// silenced (<see cref="CascadeNodes.Silence"/>) reports 3 s of silence, as a killed edge's link would.
/// </summary>
public sealed class FakeMediaCascade(string nodeId, int capacity, RecordingMediaControl media, CascadeNodes nodes) : IMediaCascade
{
    private readonly ConcurrentDictionary<uint, string> _links = new();

    public string NodeId => nodeId;

    public int CapacitySubscribers => capacity;

    public string RelayEndPoint => CascadeNodes.RelayOf(nodeId);

    public int Subscribers => media.PeerCount;

    public RecordingMediaControl Media => media;

    public void Feed(string roomId, uint linkId, byte[] key, string edgeRelayEndPoint, IReadOnlyCollection<string> publisherPeerIds) =>
        _links[linkId] = edgeRelayEndPoint;

    public void Receive(string roomId, uint linkId, byte[] key, string originRelayEndPoint) => _links[linkId] = originRelayEndPoint;

    public bool HasPeers(string roomId, IReadOnlyCollection<string> peerIds) => true;

    public TimeSpan? Silence(uint linkId) =>
        _links.TryGetValue(linkId, out var other) ? (nodes.IsSilent(other) ? TimeSpan.FromSeconds(3) : TimeSpan.Zero) : null;

    public void Close(uint linkId) => _links.TryRemove(linkId, out _);
}
