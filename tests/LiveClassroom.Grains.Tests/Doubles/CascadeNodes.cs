using System.Collections.Concurrent;

namespace LiveClassroom.Grains.Tests.Doubles;

/// <summary>The test cluster's silos as cascade media nodes, each with its own media double and relay (by silo address).</summary>
public sealed class CascadeNodes(int capacity)
{
    private readonly ConcurrentDictionary<string, FakeMediaCascade> _nodes = new();
    private readonly ConcurrentDictionary<string, byte> _silent = new();

    public int Capacity => capacity;

    public IReadOnlyCollection<FakeMediaCascade> All => [.. _nodes.Values];

    public FakeMediaCascade For(string nodeId) => _nodes.GetOrAdd(nodeId, id => new FakeMediaCascade(id, capacity, new RecordingMediaControl(), this));

    public static string RelayOf(string nodeId) => "relay:" + nodeId;

    /// <summary>The node's relay goes silent (as when the node is killed); the node itself stays up.</summary>
    public void Silence(string nodeId) => _silent[RelayOf(nodeId)] = 0;

    public bool IsSilent(string relayEndPoint) => _silent.ContainsKey(relayEndPoint);
}
