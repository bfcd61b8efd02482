namespace LiveClassroom.Grains.Cascade;

/// <summary>
/// Where a class's classroom connects its media. The origin (the class's node, where the lead publishes) while it has
/// room; then the least-loaded node already carrying the class that has room; then the least-loaded other node with
/// room (an edge is opened there); with no room anywhere, the least-loaded node carrying the class. A classroom keeps
/// its node while that node is alive and the node is not over capacity by more than its own place (no flapping).
/// Load is subscribers over capacity; a capacity of 0 means unlimited.
/// </summary>
public static class MediaTopologyRules
{
    /// <param name="origin">The class's node.</param>
    /// <param name="nodes">Live nodes and their load (the origin among them).</param>
    /// <param name="carrying">Nodes that already carry the class (the origin and open edges).</param>
    /// <param name="previous">The node this classroom was on, if any.</param>
    /// <param name="pinnedToOrigin">The lead classroom (its media is the origin's by definition).</param>
    public static string Place(string origin, IReadOnlyList<MediaNodeLoad> nodes, IReadOnlyCollection<string> carrying, string? previous, bool pinnedToOrigin)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(carrying);
        if (pinnedToOrigin)
        {
            return origin;
        }
        MediaNodeLoad? Find(string id)
        {
            foreach (var n in nodes)
            {
                if (n.NodeId == id)
                {
                    return n;
                }
            }
            return null;
        }
        if (previous is not null && Find(previous) is { } kept && (kept.CapacitySubscribers == 0 || kept.Subscribers <= kept.CapacitySubscribers))
        {
            return previous;
        }
        if (Find(origin) is not { } originLoad || HasRoom(originLoad))
        {
            return origin;
        }
        MediaNodeLoad? best = null;
        foreach (var n in nodes)
        {
            if (carrying.Contains(n.NodeId) && HasRoom(n) && (best is null || Load(n) < Load(best)))
            {
                best = n;
            }
        }
        if (best is not null)
        {
            return best.NodeId;
        }
        foreach (var n in nodes)
        {
            if (HasRoom(n) && (best is null || Load(n) < Load(best)))
            {
                best = n;
            }
        }
        if (best is not null)
        {
            return best.NodeId;
        }
        foreach (var n in nodes)
        {
            if ((carrying.Contains(n.NodeId) || n.NodeId == origin) && (best is null || Load(n) < Load(best)))
            {
                best = n;
            }
        }
        return best?.NodeId ?? origin;
    }

    /// <summary>
    /// Places <paramref name="count"/> classrooms at once (those of a lost node, or a burst of joins): each in turn as
    /// <see cref="Place"/> would, counting the ones already placed in this batch on their node, so the batch fills the
    /// origin first, then spreads over the nodes with room by load instead of all landing on the node that was least
    /// loaded when the batch began. A node chosen for the first time joins the carrying nodes. Returns the node of each,
    /// in order; <paramref name="nodes"/> is not changed.
    /// </summary>
    public static IReadOnlyList<string> PlaceMany(string origin, IReadOnlyList<MediaNodeLoad> nodes, IReadOnlyCollection<string> carrying, int count)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(carrying);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var loads = new List<MediaNodeLoad>(nodes);
        var carried = new HashSet<string>(carrying, StringComparer.Ordinal);
        var result = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var node = Place(origin, loads, carried, previous: null, pinnedToOrigin: false);
            result.Add(node);
            carried.Add(node);
            var at = loads.FindIndex(n => n.NodeId == node);
            if (at >= 0)
            {
                loads[at] = loads[at] with { Subscribers = loads[at].Subscribers + 1 };
            }
        }
        return result;
    }

    /// <summary>Edges no classroom uses any more, or on nodes that are gone: their links are closed.</summary>
    public static IReadOnlyList<string> EdgesToClose(IReadOnlyCollection<string> edges, IReadOnlyCollection<string> placedNodes, IReadOnlyCollection<string> liveNodes)
    {
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(placedNodes);
        ArgumentNullException.ThrowIfNull(liveNodes);
        var result = new List<string>();
        foreach (var e in edges)
        {
            if (!placedNodes.Contains(e) || !liveNodes.Contains(e))
            {
                result.Add(e);
            }
        }
        return result;
    }

    /// <summary>
    /// What each relay link carries. <paramref name="shown"/>: the publishers some slot shows (the lead's, the stage's),
    /// wherever they are; <paramref name="placed"/>: each peer's node (a peer missing from it is on the origin).
    /// Forward (origin → edge): every shown publisher except those on that edge; one on another edge reaches the origin
    /// by its own reverse feed and is passed on from there. Reverse (edge → origin): the shown publishers on that edge;
    /// an edge with none is absent (its reverse link is closed). A publisher on a node that carries no link is left out.
    /// </summary>
    public static CascadeFeeds Feeds(string origin, IReadOnlyCollection<string> edges, IReadOnlyList<string> shown, IReadOnlyDictionary<string, string> placed)
    {
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(shown);
        ArgumentNullException.ThrowIfNull(placed);
        var forward = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var reverse = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var edge in edges)
        {
            var down = new List<string>();
            var up = new List<string>();
            foreach (var peer in shown)
            {
                var node = placed.GetValueOrDefault(peer, origin);
                if (node == edge)
                {
                    if (!up.Contains(peer))
                    {
                        up.Add(peer);
                    }
                }
                else if ((node == origin || edges.Contains(node)) && !down.Contains(peer))
                {
                    down.Add(peer);
                }
            }
            forward[edge] = down;
            if (up.Count > 0)
            {
                reverse[edge] = up;
            }
        }
        return new CascadeFeeds(forward, reverse);
    }

    /// <summary>The node whose SFU measures a peer's link (the one its page is connected to): where it is placed, else the origin.</summary>
    public static string LinkNode(string origin, IReadOnlyDictionary<string, string> placed, string peerId)
    {
        ArgumentNullException.ThrowIfNull(placed);
        return placed.GetValueOrDefault(peerId, origin);
    }

    private static bool HasRoom(MediaNodeLoad n) => n.CapacitySubscribers == 0 || n.Subscribers < n.CapacitySubscribers;

    private static double Load(MediaNodeLoad n) => n.CapacitySubscribers == 0 ? 0 : (double)n.Subscribers / n.CapacitySubscribers;
}
