namespace LiveClassroom.Media.Sfu;

internal sealed partial class SfuRoom
{
    /// <summary>Points a subscriber's slot at a publisher's track (optionally a simulcast rid), or at nothing.</summary>
    public void Route(string subscriberPeerId, string slotMid, MediaTrackSource? source)
    {
        lock (_lock)
        {
            if (!_peers.TryGetValue(subscriberPeerId, out var subscriber) || !subscriber.Slots.TryGetValue(slotMid, out var slot))
            {
                throw new KeyNotFoundException($"no receive slot {subscriberPeerId}/{slotMid} in room {Id}");
            }
            if (source is null)
            {
                slot.Wish = null;
                RouteCore(slot, null, null);
                return;
            }
            if (!_peers.TryGetValue(source.PublisherPeerId, out var publisher) || !publisher.Tracks.TryGetValue(source.PublisherMid, out var track))
            {
                // Refused (the class sends it again), but it is the class's route now: a slot carrying nothing is bound
                // when that track comes (a stand-in on its way), and an older wish must not bind it to a publisher the
                // class has moved it away from.
                slot.Wish = source;
                throw new KeyNotFoundException($"no published track {source.PublisherPeerId}/{source.PublisherMid} in room {Id}");
            }
            if (track.Kind != slot.Kind)
            {
                throw new ArgumentException($"slot {slotMid} is {slot.Kind}, track {source.PublisherMid} is {track.Kind}");
            }
            if (source.Rid is not null && track.Rids.Count > 0 && !track.Rids.Contains(source.Rid))
            {
                throw new ArgumentException($"track {source.PublisherMid} has no rid {source.Rid}");
            }
            slot.AutoRouted = false;
            slot.Wish = source;
            if (slot.Track == track && slot.Rid == source.Rid && !track.Unpublished)
            {
                // The route it already has (the class re-sends a classroom's routes when its hub joins again): the
                // slot keeps what its link decided — a paused video stays paused, the layer stays — instead of starting
                // over from the routed layer. On a 150 kbit/s link a hub rejoin un-paused the video for the 3 s a pause
                // takes, and the audio lost 25 % of a second three times (RuralLinkFigures 2026-12-05 21:38).
                return;
            }
            RouteCore(slot, track, source.Rid);
        }
    }

    /// <summary>"publisher/mid/rid" of the stream a slot currently forwards (after any switch completed), or null.</summary>
    internal string? CurrentSource(string subscriberPeerId, string slotMid)
    {
        lock (_lock)
        {
            if (!_peers.TryGetValue(subscriberPeerId, out var peer) || !peer.Slots.TryGetValue(slotMid, out var slot) || slot.Current is not { } s)
            {
                return null;
            }
            return $"{s.Track.Publisher.Id}/{s.Track.Mid}/{s.Rid}";
        }
    }

    private void RouteCore(SubscriberSlot slot, PublishedTrack? track, string? rid)
    {
        var previous = slot.Track;
        // A new route starts from the routed layer; the next bandwidth tick chooses again.
        slot.SelectedRid = null;
        slot.Paused = false;
        slot.UpAllowedSinceTicks = 0;
        if (track is null)
        {
            if (previous is not null)
            {
                previous.Listeners.Remove(slot);
            }
            if (slot.Current is not null && slot.Current.Track != previous)
            {
                slot.Current.Track.Listeners.Remove(slot);
            }
            slot.Track = null;
            slot.Rid = null;
            slot.Current = null;
            slot.Target = null;
            slot.Rewriter.Stop();
            return;
        }
        // While switching, the slot listens to both tracks: the old one keeps the picture going until the new keyframe.
        if (previous is not null && previous != track && slot.Current?.Track != previous)
        {
            previous.Listeners.Remove(slot);
        }
        if (!track.Listeners.Contains(slot))
        {
            track.Listeners.Add(slot);
        }
        slot.Track = track;
        slot.Rid = rid;
        RetargetSlot(slot);
    }

    /// <summary>Aims the slot's rewriter at the stream for its wanted rid, once that stream is known, and asks for a keyframe.</summary>
    private void RetargetSlot(SubscriberSlot slot)
    {
        var track = slot.Track;
        var stream = track?.Layer(slot.SelectedRid ?? slot.Rid);
        if (track is null || stream is null)
        {
            return;
        }
        if (slot.Current == stream && !slot.Rewriter.IsSwitchPending)
        {
            slot.Target = null;
            return;
        }
        if (slot.Target == stream)
        {
            return;
        }
        slot.Target = stream;
        slot.Rewriter.SwitchTo(stream.Ssrc);
        // Chrome honours at most one keyframe request per 300 ms: one spent before this subscriber can receive would
        // swallow the one sent when it connects, so a subscriber still connecting gets its request on connection.
        if (slot.Subscriber.IsConnected)
        {
            slot.LastKeyframeRequestTicks = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
            RequestKeyframe(stream, force: true);
        }
    }

    /// <summary>A new layer became known: slots waiting for it (or for "the highest") may retarget.</summary>
    private void OnLayerLearnt(PublishedTrack track)
    {
        foreach (var slot in track.Listeners)
        {
            if (slot.Track == track)
            {
                RetargetSlot(slot);
            }
        }
    }

    private void AutoRouteAll()
    {
        foreach (var subscriber in _peers.Values)
        {
            foreach (var slot in subscriber.Slots.Values)
            {
                if (slot.Track is not null && !slot.Track.Unpublished)
                {
                    continue;
                }
                var candidate = FindUnusedTrack(subscriber, slot.Kind);
                if (candidate is not null)
                {
                    slot.AutoRouted = true;
                    slot.Wish = null;
                    RouteCore(slot, candidate, null);
                }
            }
        }
    }

    // The first published track of this kind from another peer that no other slot of this subscriber already shows.
    private PublishedTrack? FindUnusedTrack(SfuPeer subscriber, string kind)
    {
        foreach (var publisher in _peers.Values)
        {
            if (publisher == subscriber)
            {
                continue;
            }
            foreach (var track in publisher.Tracks.Values)
            {
                if (track.Kind != kind || track.Unpublished)
                {
                    continue;
                }
                var used = false;
                foreach (var other in subscriber.Slots.Values)
                {
                    used |= other.Track == track;
                }
                if (!used)
                {
                    return track;
                }
            }
        }
        return null;
    }
}
