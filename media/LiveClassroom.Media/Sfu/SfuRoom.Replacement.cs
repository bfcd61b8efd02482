// RFC 8842 §5 / RFC 9429 §5.11: a new DTLS association (new fingerprint, with new ICE credentials) for a known peer id.
namespace LiveClassroom.Media.Sfu;

/// <summary>
/// Peer replacement: the same participant comes back on a new RTCPeerConnection (page reload, kiosk restart, a second
/// tab) before its old peer timed out. The caller's identity was checked by whoever chose the peer id, so a fresh
/// association under that id is the participant's new page, not a hijack; a changed fingerprint on the SAME association
/// (same ICE ufrag) is still refused in <see cref="Negotiate"/>.
/// </summary>
internal sealed partial class SfuRoom
{
    /// <summary>
    /// Moves what the old peer had to its replacement, under the lock: subscribers and recorder taps of each old track
    /// follow the new track of the same mid and kind (their rewriters switch to its first keyframe, so the viewers'
    /// decoders keep running), the old peer's receive slots carry the same sources on the new peer's slots of the same
    /// mid, and the server-side mute stays. Old tracks without a counterpart are unpublished. No PeerGone is raised:
    /// the participant never left.
    /// </summary>
    private void TakeOver(SfuPeer old, SfuPeer replacement)
    {
        old.Gone = true;
        replacement.AudioMuted = old.AudioMuted;
        foreach (var track in old.Tracks.Values.ToList())
        {
            if (!replacement.Tracks.TryGetValue(track.Mid, out var successor) || successor.Kind != track.Kind)
            {
                Unpublish(track);
                continue;
            }
            MoveListeners(track, successor);
            foreach (var registration in _tapRegistrations)
            {
                if (registration.Track == track)
                {
                    // A new connection's streams: the recorder sees a new stream (and starts a new part), as before simulcast.
                    registration.Track = successor;
                    registration.Tap = new TrackTap(registration.Tap.Callback, new TapLayerChoice());
                    successor.Taps.Add(registration.Tap);
                }
            }
            track.Taps.Clear();
            track.Unpublished = true;
        }
        old.Tracks.Clear();
        old.StreamsBySsrc.Clear();
        foreach (var slot in old.Slots.Values)
        {
            var source = slot.Track;
            var rid = slot.Rid;
            var autoRouted = slot.AutoRouted;
            RouteCore(slot, null, null);
            if (!replacement.Slots.TryGetValue(slot.Mid, out var successor) || successor.Kind != slot.Kind)
            {
                continue;
            }
            // The class's wish goes with the slot, so the new page's slot is bound again when a gone source returns.
            successor.Wish ??= slot.Wish;
            if (source is not null && !source.Unpublished && successor.Track is null)
            {
                successor.AutoRouted = autoRouted;
                RouteCore(successor, source, rid);
            }
            else
            {
                TryRebind(successor);
            }
        }
    }

    private static void MoveListeners(PublishedTrack from, PublishedTrack to)
    {
        foreach (var slot in from.Listeners)
        {
            if (slot.Track == from)
            {
                // The rewriter keeps its output numbering: it switches to the new stream's first keyframe (RetargetSlot,
                // called when the stream is learnt), so the subscriber sees one continuous stream with a pause.
                slot.Track = to;
                slot.Current = null;
                slot.Target = null;
                if (!to.Listeners.Contains(slot))
                {
                    to.Listeners.Add(slot);
                }
            }
            else if (slot.Current?.Track == from)
            {
                // The slot was switching away from the old track: it keeps waiting for its new source.
                slot.Current = null;
            }
        }
        from.Listeners.Clear();
    }

    /// <summary>Tests: "subscriber/mid" of each slot of a live peer fed by (or switching to) the publisher's current track.</summary>
    internal IReadOnlyList<string> ListenersOf(string publisherPeerId, string mid)
    {
        lock (_lock)
        {
            if (!_peers.TryGetValue(publisherPeerId, out var publisher) || !publisher.Tracks.TryGetValue(mid, out var track))
            {
                return [];
            }
            var result = new List<string>();
            foreach (var slot in track.Listeners)
            {
                if (slot.Track == track && _peers.TryGetValue(slot.Subscriber.Id, out var live) && live == slot.Subscriber)
                {
                    result.Add($"{slot.Subscriber.Id}/{slot.Mid}");
                }
            }
            return result;
        }
    }

    /// <summary>Tests: how many recorder taps the publisher's current track feeds.</summary>
    internal int TapCount(string publisherPeerId, string mid)
    {
        lock (_lock)
        {
            return _peers.TryGetValue(publisherPeerId, out var publisher) && publisher.Tracks.TryGetValue(mid, out var track) ? track.Taps.Count : 0;
        }
    }
}
