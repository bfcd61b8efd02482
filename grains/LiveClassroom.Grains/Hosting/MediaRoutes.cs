using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Hosting;

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

    /// <summary>Drops what is known of a peer's slots (it renegotiated or left): its next routes are sent again.</summary>
    public void Forget(string peerId)
    {
        foreach (var key in _routes.Keys.Where(k => k.Peer == peerId).ToList())
        {
            _routes.Remove(key);
        }
    }

    public void Clear() => _routes.Clear();
}
