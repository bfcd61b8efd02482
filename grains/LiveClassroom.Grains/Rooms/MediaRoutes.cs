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

    /// <summary>
    /// Sends in flight, by slot: a later change of the same slot is sent after it (two sends of one slot side by side
    /// could reach the SFU in either order), and one that finds it was meanwhile sent the same source sends nothing.
    /// </summary>
    private readonly Dictionary<(string Peer, string Mid), Sending> _sending = [];

    /// <summary>One send in flight; <see cref="Done"/> completes once its outcome is recorded.</summary>
    private sealed class Sending(MediaSource? source)
    {
        public MediaSource? Source { get; } = source;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public int Count => _routes.Count;

    /// <param name="send">The grain's guarded media call; false when the SFU failed, so the route is tried again next time.</param>
    public async Task SetAsync(string subscriber, string mid, MediaSource? source, Func<MediaSource?, Task<bool>> send)
    {
        if (source is not null && source.PublisherPeerId == subscriber)
        {
            source = null;
        }
        var key = (subscriber, mid);
        while (_sending.TryGetValue(key, out var inFlight))
        {
            await inFlight.Done.Task;
        }
        if (_routes.TryGetValue(key, out var current) && current == source)
        {
            return;
        }
        var sending = new Sending(source);
        _sending[key] = sending;
        try
        {
            // Kept only if nothing forgot the slot while it was sent (the peer left, moved or renegotiated meanwhile).
            if (await send(source) && _sending.GetValueOrDefault(key) == sending)
            {
                _routes[key] = source;
            }
        }
        finally
        {
            if (_sending.GetValueOrDefault(key) == sending)
            {
                _sending.Remove(key);
            }
            sending.Done.TrySetResult();
        }
    }

    /// <summary>
    /// Drops what is known of a peer's slots and of the slots its tracks feed (it renegotiated, came back on a new
    /// connection, or left): those routes are sent again. The SFU carries routes over to a replacing peer, but a peer
    /// it dropped on its own (DTLS close, consent expiry) and then created afresh has none, so re-sending is what
    /// makes both cases right. Sends of its slots still in flight are no longer waited for nor kept when they end.
    /// </summary>
    public void Forget(string peerId)
    {
        foreach (var key in _routes.Where(r => r.Key.Peer == peerId || r.Value?.PublisherPeerId == peerId).Select(r => r.Key).ToList())
        {
            _routes.Remove(key);
        }
        foreach (var key in _sending.Where(r => r.Key.Peer == peerId || r.Value.Source?.PublisherPeerId == peerId).Select(r => r.Key).ToList())
        {
            _sending.Remove(key);
        }
    }

    public void Clear()
    {
        _routes.Clear();
        _sending.Clear();
    }
}
