using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Rooms;

/// <summary>
/// The routes the SFU already has for one room, per subscriber peer and slot mid, so a change sends only the slots it
/// moves. In memory only: a new activation re-sends them. Nobody is routed to their own track (the page shows its
/// local preview instead).
/// </summary>
internal sealed class MediaRoutes
{
    private readonly Dictionary<(string Peer, string Mid), MediaSource?> _routes = [];

    public int Count => _routes.Count;

    /// <param name="send">The grain's guarded media call; false when the SFU failed, so the route is tried again next time.</param>
    public async Task SetAsync(string subscriber, string mid, MediaSource? source, Func<MediaSource?, Task<bool>> send)
    {
        if (source is not null && source.PublisherPeerId == subscriber)
        {
            source = null;
        }
        var key = (subscriber, mid);
        if (_routes.TryGetValue(key, out var current) && current == source)
        {
            return;
        }
        if (await send(source))
        {
            _routes[key] = source;
        }
    }

    /// <summary>
    /// Drops what is known of a peer's slots and of the slots its tracks feed (it renegotiated, came back on a new
    /// connection, or left): those routes are sent again. The SFU carries routes over to a replacing peer, but a peer
    /// it dropped on its own (DTLS close, consent expiry) and then created afresh has none, so re-sending is what
    /// makes both cases right.
    /// </summary>
    public void Forget(string peerId)
    {
        foreach (var key in _routes.Where(r => r.Key.Peer == peerId || r.Value?.PublisherPeerId == peerId).Select(r => r.Key).ToList())
        {
            _routes.Remove(key);
        }
    }

    public void Clear() => _routes.Clear();
}
