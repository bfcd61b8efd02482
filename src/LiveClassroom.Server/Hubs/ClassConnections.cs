using System.Collections.Concurrent;
using LiveClassroom.Grains;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Which hub connections have joined which class, and as whom. Kept outside the hub's per-connection items
/// because a room moving away must find and detach every connection of that class.
/// </summary>
public sealed class ClassConnections
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, RoomCaller>> _byConnection = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _byClass = new();

    public void Add(string connectionId, string classId, RoomCaller caller)
    {
        _byConnection.GetOrAdd(connectionId, _ => new())[classId] = caller;
        _byClass.GetOrAdd(classId, _ => new())[connectionId] = 0;
    }

    public RoomCaller? Find(string connectionId, string classId) =>
        _byConnection.TryGetValue(connectionId, out var classes) && classes.TryGetValue(classId, out var caller) ? caller : null;

    public bool Remove(string connectionId, string classId)
    {
        if (_byClass.TryGetValue(classId, out var connections))
        {
            connections.TryRemove(connectionId, out _);
        }
        return _byConnection.TryGetValue(connectionId, out var classes) && classes.TryRemove(classId, out _);
    }

    /// <summary>Forgets a closed connection; returns the classes it had joined, as whom.</summary>
    public IReadOnlyList<(string ClassId, RoomCaller Caller)> RemoveConnection(string connectionId)
    {
        if (!_byConnection.TryRemove(connectionId, out var classes))
        {
            return [];
        }
        var result = new List<(string, RoomCaller)>();
        foreach (var (classId, caller) in classes)
        {
            if (_byClass.TryGetValue(classId, out var connections))
            {
                connections.TryRemove(connectionId, out _);
            }
            result.Add((classId, caller));
        }
        return result;
    }

    /// <summary>Detaches every connection from a class (the room left this node); returns their ids.</summary>
    public IReadOnlyList<string> RemoveClass(string classId)
    {
        if (!_byClass.TryRemove(classId, out var connections))
        {
            return [];
        }
        foreach (var connectionId in connections.Keys)
        {
            if (_byConnection.TryGetValue(connectionId, out var classes))
            {
                classes.TryRemove(classId, out _);
            }
        }
        return [.. connections.Keys];
    }

    /// <summary>True when another connection of the same principal is still in the class (a second tab, a quick reconnect).</summary>
    public bool HasOtherConnection(string classId, string principalId, string exceptConnectionId)
    {
        if (!_byClass.TryGetValue(classId, out var connections))
        {
            return false;
        }
        foreach (var connectionId in connections.Keys)
        {
            if (connectionId != exceptConnectionId && Find(connectionId, classId)?.PrincipalId == principalId)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Number of connections currently joined to the class on this node.</summary>
    public int Count(string classId) => _byClass.TryGetValue(classId, out var c) ? c.Count : 0;
}
