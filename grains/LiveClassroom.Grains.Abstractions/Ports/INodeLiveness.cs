namespace LiveClassroom.Grains.Ports;

/// <summary>
/// What the cluster knows of a node's death (Orleans membership, implemented by the server). A room that activates
/// again after its node died dates the loss of that node's connections by it, not by its own activation, which comes
/// only once the cluster has declared the node dead (seconds later; up to ~10 s for a hung node).
/// </summary>
public interface INodeLiveness
{
    /// <summary>
    /// The last moment <paramref name="node"/> (a silo address as <c>SiloAddress.ToParsableString</c> gives it) was
    /// known alive, when the cluster has declared it dead; null while it is not (alive, joining, or unknown).
    /// </summary>
    Task<DateTimeOffset?> LastAliveIfDeadAsync(string node, CancellationToken ct = default);
}
