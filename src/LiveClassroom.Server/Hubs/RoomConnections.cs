using System.Collections.Concurrent;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Which hub connections have joined which room, and as whom (<typeparamref name="TMember"/>). Kept outside the
/// hub's per-connection items because a room moving away must find and detach every connection of that room.
/// </summary>
public class RoomConnections<TMember>(Func<TMember, string> principalOf)
    where TMember : class
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, TMember>> _byConnection = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _byRoom = new();
    private readonly ConcurrentDictionary<(string Room, string Principal), string> _mediaOwners = new();

    public void Add(string connectionId, string roomId, TMember member)
    {
        _byConnection.GetOrAdd(connectionId, _ => new())[roomId] = member;
        _byRoom.GetOrAdd(roomId, _ => new())[connectionId] = 0;
    }

    public TMember? Find(string connectionId, string roomId) =>
        _byConnection.TryGetValue(connectionId, out var rooms) && rooms.TryGetValue(roomId, out var member) ? member : null;

    public bool Remove(string connectionId, string roomId)
    {
        if (_byRoom.TryGetValue(roomId, out var connections))
        {
            connections.TryRemove(connectionId, out _);
        }
        return _byConnection.TryGetValue(connectionId, out var rooms) && rooms.TryRemove(roomId, out _);
    }

    /// <summary>
    /// Records that <paramref name="connectionId"/> now holds the principal's media peer in the room (its Negotiate
    /// succeeded): the peer's media quality notices go to it. Who held it before, and must be told, is the room grain's
    /// to say (<see cref="MediaTakeovers"/>): it orders the negotiations of every node.
    /// </summary>
    public void ClaimMedia(string roomId, string principalId, string connectionId) =>
        _mediaOwners[(roomId, principalId)] = connectionId;

    /// <summary>
    /// Another connection took the principal's media peer over from <paramref name="connectionId"/>: it no longer holds
    /// it (if it still did). True when that connection is still in the room, so it is to be told.
    /// </summary>
    public bool ReleaseMedia(string roomId, string principalId, string connectionId)
    {
        _mediaOwners.TryRemove(new KeyValuePair<(string, string), string>((roomId, principalId), connectionId));
        return Find(connectionId, roomId) is not null;
    }

    /// <summary>The connection that holds the principal's media peer in the room (its last successful Negotiate), if still joined.</summary>
    public string? MediaOwner(string roomId, string principalId) =>
        _mediaOwners.TryGetValue((roomId, principalId), out var connectionId) && Find(connectionId, roomId) is not null ? connectionId : null;

    /// <summary>Forgets a closed connection; returns the rooms it had joined, as whom.</summary>
    public IReadOnlyList<(string RoomId, TMember Member)> RemoveConnection(string connectionId)
    {
        foreach (var owner in _mediaOwners)
        {
            if (owner.Value == connectionId)
            {
                _mediaOwners.TryRemove(owner);
            }
        }
        if (!_byConnection.TryRemove(connectionId, out var rooms))
        {
            return [];
        }
        var result = new List<(string, TMember)>();
        foreach (var (roomId, member) in rooms)
        {
            if (_byRoom.TryGetValue(roomId, out var connections))
            {
                connections.TryRemove(connectionId, out _);
            }
            result.Add((roomId, member));
        }
        return result;
    }

    /// <summary>Detaches every connection from a room (the room left this node); returns their ids.</summary>
    public IReadOnlyList<string> RemoveRoom(string roomId)
    {
        foreach (var owner in _mediaOwners.Keys)
        {
            if (owner.Room == roomId)
            {
                _mediaOwners.TryRemove(owner, out _);
            }
        }
        if (!_byRoom.TryRemove(roomId, out var connections))
        {
            return [];
        }
        foreach (var connectionId in connections.Keys)
        {
            if (_byConnection.TryGetValue(connectionId, out var rooms))
            {
                rooms.TryRemove(roomId, out _);
            }
        }
        return [.. connections.Keys];
    }

    /// <summary>True when another connection of the same principal is still in the room (a second tab, a quick reconnect).</summary>
    public bool HasOtherConnection(string roomId, string principalId, string exceptConnectionId)
    {
        if (!_byRoom.TryGetValue(roomId, out var connections))
        {
            return false;
        }
        foreach (var connectionId in connections.Keys)
        {
            if (connectionId != exceptConnectionId && Find(connectionId, roomId) is { } member && principalOf(member) == principalId)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The members joined to the room on this node, once per connection.</summary>
    public IEnumerable<TMember> MembersOf(string roomId)
    {
        if (!_byRoom.TryGetValue(roomId, out var connections))
        {
            yield break;
        }
        foreach (var connectionId in connections.Keys)
        {
            if (Find(connectionId, roomId) is { } member)
            {
                yield return member;
            }
        }
    }

    /// <summary>Rooms with at least one connection on this node (the rooms whose events this node must receive).</summary>
    public IReadOnlyList<string> Rooms => [.. _byRoom.Where(r => !r.Value.IsEmpty).Select(r => r.Key)];

    public int Count(string roomId) => _byRoom.TryGetValue(roomId, out var c) ? c.Count : 0;

    /// <summary>Rooms with at least one connection on this node (metrics: Operations/ServerMetrics).</summary>
    public int RoomsWithConnections => _byRoom.Count(r => !r.Value.IsEmpty);

    /// <summary>Every member joined to a room on this node, once per (connection, room) (metrics).</summary>
    public IEnumerable<TMember> Members => _byConnection.Values.SelectMany(rooms => rooms.Values);
}
