using LiveClassroom.Grains.Classroom;

namespace LiveClassroom.Grains.Rooms;

/// <summary>
/// Which hub connection negotiated each media peer last (<see cref="MediaHolder"/>), in the order the room grain
/// negotiated them (one negotiation per peer at a time there): the authority on who took a peer over from whom, whatever
/// node each connection is on. In memory: after a reactivation the pages negotiate again and the record starts anew.
/// </summary>
internal sealed class MediaHolders
{
    private readonly Dictionary<string, MediaHolder> _byPeer = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>
    /// A number for the negotiation being answered now, above every one given before by this grain (and, since it starts
    /// from the clock's ticks, by an earlier activation of it): <see cref="MediaAnswer.HolderSequence"/>.
    /// </summary>
    public long NextSequence(DateTimeOffset now) => _sequence = Math.Max(_sequence + 1, now.UtcTicks);

    /// <summary>
    /// <paramref name="holder"/> now holds <paramref name="peerId"/>; returns the one that held it before when that was
    /// another connection (to be told it was taken over). A null holder (a caller that does not say) changes nothing.
    /// </summary>
    public MediaHolder? Take(string peerId, MediaHolder? holder)
    {
        if (holder is null)
        {
            return null;
        }
        var previous = _byPeer.GetValueOrDefault(peerId);
        _byPeer[peerId] = holder;
        return previous is not null && previous.ConnectionId != holder.ConnectionId ? previous : null;
    }

    /// <summary>The peer is gone (its participant left): the next connection to negotiate it took nothing over.</summary>
    public void Forget(string peerId) => _byPeer.Remove(peerId);
}
