namespace LiveClassroom.Media.Sfu;

/// <summary>
/// A slot keeps the route the class asked for (<see cref="SubscriberSlot.Wish"/>: publisher peer id, mid, rid) while
/// the routed track is gone, and is bound to it again when a peer of that id publishes that mid again. The class routes
/// by id and caches what it sent (it does not send a route again while its cache says it is set), and a relay stand-in
/// goes and comes back without the class hearing of it: its link fell silent past RelaySocket.SilenceLimit (suspended)
/// and was heard again or a newer link fed it, or the origin's feed left the publisher out of its list for a moment (issue #17). Before this, such a
/// slot stayed unrouted until the subscriber's page renegotiated. Only the class's own later route (another source, or
/// an unroute) changes the wish, so a publisher that left is never bound again to a slot the class moved elsewhere.
/// The re-bound slot switches at the new track's first keyframe, which <see cref="RetargetSlot"/> asks for once the
/// layer is learnt (a stand-in sends the PLI up its link to the publisher's node).
/// </summary>
internal sealed partial class SfuRoom
{
    /// <summary>Slots bound again to a track their wish names when it was published again (diagnostics, tests).</summary>
    public long SlotsRebound { get; private set; }

    /// <summary>A track was published: the slots whose wish names it and that carry nothing are bound to it.</summary>
    private void RebindWishes(PublishedTrack track)
    {
        foreach (var subscriber in _peers.Values)
        {
            if (subscriber == track.Publisher)
            {
                continue;
            }
            foreach (var slot in subscriber.Slots.Values)
            {
                if (slot.Track is null && slot.Wish is { } wish && wish.PublisherPeerId == track.Publisher.Id && wish.PublisherMid == track.Mid)
                {
                    Rebind(slot, track, wish);
                }
            }
        }
    }

    /// <summary>A slot that carries nothing is bound to its wish's track if that track is here now.</summary>
    private void TryRebind(SubscriberSlot slot)
    {
        if (slot.Track is null && slot.Wish is { } wish && _peers.TryGetValue(wish.PublisherPeerId, out var publisher) && publisher != slot.Subscriber
            && publisher.Tracks.TryGetValue(wish.PublisherMid, out var track) && !track.Unpublished)
        {
            Rebind(slot, track, wish);
        }
    }

    private void Rebind(SubscriberSlot slot, PublishedTrack track, MediaTrackSource wish)
    {
        if (track.Kind != slot.Kind)
        {
            return;
        }
        // A rid the new track does not offer (the publisher came back without simulcast): its highest layer.
        var rid = wish.Rid is { } r && track.Rids.Count > 0 && !track.Rids.Contains(r) ? null : wish.Rid;
        slot.AutoRouted = false;
        RouteCore(slot, track, rid);
        SlotsRebound++;
    }
}
