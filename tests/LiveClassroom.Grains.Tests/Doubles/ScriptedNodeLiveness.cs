using System.Collections.Concurrent;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Tests.Doubles;

/// <summary>A cluster membership where a test declares nodes dead, each with the last moment it was alive.</summary>
public sealed class ScriptedNodeLiveness : INodeLiveness
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _dead = new();

    public ConcurrentQueue<string> Asked { get; } = new();

    public void Died(string node, DateTimeOffset lastAlive) => _dead[node] = lastAlive;

    public Task<DateTimeOffset?> LastAliveIfDeadAsync(string node, CancellationToken ct = default)
    {
        Asked.Enqueue(node);
        return Task.FromResult<DateTimeOffset?>(_dead.TryGetValue(node, out var at) ? at : null);
    }
}
