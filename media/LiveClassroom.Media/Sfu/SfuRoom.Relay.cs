// RFC 7667 §3.7 applied between SFUs (a cascade): the origin room feeds edge rooms; RFC 4585 feedback goes back up.
using LiveClassroom.Media.Rtcp;
using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Sfu;

/// <summary>
/// The two ends of a cascade inside a room (a room can be both: the class's origin feeds the edges and takes an edge's
/// stage classroom back; an edge takes the origin's publishers and feeds its own stage classroom to the origin).
/// Feeding end: <see cref="RelayFeed"/>s get every packet of their publishers' primary streams (after RTX unwrapping,
/// retransmissions marked) and their NACK/PLI is answered here — NACKs from the cache, PLIs coalesced with the room's
/// own (a stand-in's go on up to its own node). Receiving end: a stand-in peer (same id as the publisher on the feeding
/// node, no ICE or DTLS) publishes the relayed tracks, so routes, layer selection, caches and keyframe logic work
/// unchanged; its NACKs and PLIs go up through its <see cref="IRelayUplink"/>.
/// </summary>
internal sealed partial class SfuRoom
{
    private readonly List<RelayFeed> _relayFeeds = [];
    private readonly ushort[] _relayNackScratch = new ushort[256];

    public RelayFeed AddRelayFeed(IRelayDownlink downlink, IEnumerable<string> publishers)
    {
        var feed = new RelayFeed(downlink) { Publishers = new HashSet<string>(publishers, StringComparer.Ordinal) };
        lock (_lock)
        {
            _relayFeeds.Add(feed);
            // The edge starts decoding at a keyframe: ask the fed publishers for one.
            foreach (var peer in _peers.Values)
            {
                if (Carries(feed, peer))
                {
                    foreach (var track in peer.Tracks.Values)
                    {
                        foreach (var layer in track.Layers)
                        {
                            RequestKeyframe(layer, force: true);
                        }
                    }
                }
            }
        }
        return feed;
    }

    public void SetRelayFeedPublishers(RelayFeed feed, IEnumerable<string> publishers)
    {
        var set = new HashSet<string>(publishers, StringComparer.Ordinal);
        lock (_lock)
        {
            feed.Publishers = set;
        }
    }

    public void RemoveRelayFeed(RelayFeed feed)
    {
        lock (_lock)
        {
            _relayFeeds.Remove(feed);
        }
    }

    private void RelayOut(IncomingStream stream, ReadOnlySpan<byte> packet, bool recovered)
    {
        var publisher = stream.Track.Publisher;
        for (var i = 0; i < _relayFeeds.Count; i++)
        {
            if (Carries(_relayFeeds[i], publisher))
            {
                _relayFeeds[i].Downlink.OnRtp(stream, packet, recovered);
            }
        }
    }

    /// <summary>
    /// Whether a feed carries a publisher's tracks. A stand-in (a publisher relayed in from another node) may be fed on
    /// to a third node, so the origin passes an edge's stage classroom to the other edges, but never back to the node
    /// it came from (no loops in a cascade).
    /// </summary>
    private static bool Carries(RelayFeed feed, SfuPeer publisher) =>
        feed.Publishers.Contains(publisher.Id) && (publisher.Uplink is not { } uplink || !uplink.RemoteEndPoint.Equals(feed.Downlink.RemoteEndPoint));

    /// <summary>The tracks a feed carries now, with their layers and last sender reports.</summary>
    public List<RelayTrackInfo> DescribeRelayTracks(RelayFeed feed)
    {
        var result = new List<RelayTrackInfo>();
        lock (_lock)
        {
            var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
            foreach (var peer in _peers.Values)
            {
                if (!Carries(feed, peer))
                {
                    continue;
                }
                foreach (var track in peer.Tracks.Values)
                {
                    var layers = new List<RelayLayerInfo>(track.Layers.Count);
                    foreach (var layer in track.Layers)
                    {
                        layers.Add(new RelayLayerInfo(layer.Ssrc, layer.Rid, layer.HasSenderReport, layer.SenderReportNtp, layer.SenderReportRtp,
                            layer.HasSenderReport ? (now - layer.SenderReportTicks) / TimeSpan.TicksPerMillisecond : 0));
                    }
                    result.Add(new RelayTrackInfo(peer.Id, track.Mid, track.Kind, track.Codec, track.Rids, track.RedPayloadType, layers));
                }
            }
        }
        return result;
    }

    /// <summary>Origin: RTCP an edge sent up for a feed. NACKs are answered from the cache, PLI/FIR become keyframe requests.</summary>
    public void OnRelayFeedback(RelayFeed feed, ReadOnlySpan<byte> compound)
    {
        lock (_lock)
        {
            foreach (var item in new RtcpCompoundEnumerator(compound))
            {
                var p = item.Slice(compound);
                if (!RtcpFeedbackHeader.TryParse(p, out var feedback) || FedStream(feed, feedback.MediaSsrc) is not { } stream)
                {
                    continue;
                }
                if (feedback.IsNack && stream.Cache is { } cache)
                {
                    var count = RtcpNack.Expand(feedback.Fci(p), _relayNackScratch);
                    for (var i = 0; i < count; i++)
                    {
                        if (cache.TryGet(_relayNackScratch[i], out var cached))
                        {
                            feed.Downlink.OnRtp(stream, cached, recovered: true);
                        }
                    }
                }
                else if (feedback.IsPli || feedback.IsFir)
                {
                    RequestKeyframe(stream, force: false);
                }
            }
        }
    }

    private IncomingStream? FedStream(RelayFeed feed, uint ssrc)
    {
        foreach (var peer in _peers.Values)
        {
            if (Carries(feed, peer) && peer.StreamsBySsrc.TryGetValue(ssrc, out var stream) && !stream.IsRtx)
            {
                return stream;
            }
        }
        return null;
    }

    /// <summary>
    /// Edge: the stand-in for a publisher on the feeding node, with the tracks that node described. A real (browser) peer
    /// of that id here is kept and the relay refused: the publisher is on this node. A stand-in of that id from an older
    /// link is taken over: that link's node died or was replaced (the class's new origin feeds this room over a new
    /// link while the dead origin's link waits out its silence), so the subscribers and taps of its tracks move to this
    /// stand-in's tracks of the same mid (<see cref="TakeOver"/>, as for a browser peer's replacement): routes the class
    /// set, or sets meanwhile by id, keep working without being set again. A stand-in from a newer link is kept.
    /// </summary>
    public SfuPeer AddRelayPeer(string peerId, IRelayUplink uplink, IReadOnlyList<RelayTrackInfo> tracks)
    {
        SfuPeer? replaced = null;
        SfuPeer peer;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_peers.TryGetValue(peerId, out var existing))
            {
                if (existing.Uplink == uplink)
                {
                    return existing;
                }
                if (existing.Uplink is not { } older || older.OpenedOrder > uplink.OpenedOrder)
                {
                    throw new InvalidOperationException($"peer {peerId} of room {Id} is already here; it cannot be relayed in as well");
                }
                replaced = existing;
            }
            peer = new SfuPeer(this, peerId, _transport, _certificate, "relay", "relay" + Random.Shared.Next(), Profiles, _options.ConsentTimeout)
            {
                Uplink = uplink,
            };
            peer.Bandwidth = new SubscriberBandwidth(_options.InitialDownlinkEstimateBps);
            _peers[peerId] = peer;
            SyncRelayTracks(peer, tracks);
            if (replaced is not null)
            {
                TakeOver(replaced, peer);
                RelayStandInsTakenOver++;
            }
        }
        if (replaced is null)
        {
            _events.PeerConnected(Id, peerId);
        }
        else
        {
            // Outside the lock, as for a replaced browser peer. No PeerGone: the publisher never left.
            ThreadPool.QueueUserWorkItem(static p => p.Dispose(), replaced, preferLocal: false);
        }
        return peer;
    }

    /// <summary>Stand-ins a newer relay link took over from an older one's (the older link's origin died or was replaced).</summary>
    public long RelayStandInsTakenOver { get; private set; }

    public void RemoveRelayPeer(SfuPeer peer) => RemovePeer(peer, "relay closed");

    /// <summary>Edge: publishes the relayed tracks the origin described, drops those it no longer carries, takes its sender reports.</summary>
    public void SyncRelayTracks(SfuPeer peer, IReadOnlyList<RelayTrackInfo> tracks)
    {
        lock (_lock)
        {
            if (peer.Gone)
            {
                return;
            }
            var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var info in tracks)
            {
                if (info.PublisherId != peer.Id)
                {
                    continue;
                }
                seen.Add(info.Mid);
                if (!peer.Tracks.TryGetValue(info.Mid, out var track) || track.Kind != info.Kind)
                {
                    if (track is not null)
                    {
                        Unpublish(track);
                    }
                    track = new PublishedTrack(peer, info.Mid, info.Kind, info.Codec, null, info.Rids) { RedPayloadType = info.RedPayloadType };
                    peer.Tracks.Add(info.Mid, track);
                    _events.TrackPublished(Id, track);
                    // A stand-in back after its link fell silent or its feed left it out: the slots it fed follow it again.
                    RebindWishes(track);
                    if (AutoRoute)
                    {
                        AutoRouteAll();
                    }
                }
                else
                {
                    track.Codec = info.Codec;
                    track.Rids = info.Rids;
                    track.RedPayloadType = info.RedPayloadType;
                }
                foreach (var layer in info.Layers)
                {
                    if (layer.HasSenderReport && peer.StreamsBySsrc.TryGetValue(layer.Ssrc, out var stream) && stream.Track == track)
                    {
                        stream.OnSenderReport(layer.Ntp, layer.Rtp, now - (layer.SenderReportAgeMillis * TimeSpan.TicksPerMillisecond));
                    }
                }
            }
            foreach (var mid in peer.Tracks.Keys.ToList())
            {
                if (!seen.Contains(mid))
                {
                    Unpublish(peer.Tracks[mid]);
                }
            }
        }
    }

    /// <summary>Edge: one relayed packet of a stand-in's track (plain RTP; <paramref name="rid"/> names its layer).</summary>
    public void OnRelayRtp(SfuPeer peer, string mid, string? rid, Span<byte> packet, bool recovered)
    {
        lock (_lock)
        {
            if (peer.Gone || !peer.Tracks.TryGetValue(mid, out var track))
            {
                peer.CountDrop();
                return;
            }
            if (RtpHeader.TryParse(packet, out var header) != RtpParseError.None || header.PayloadLength == 0)
            {
                MalformedPackets++;
                return;
            }
            peer.BytesIn += packet.Length;
            if (!peer.StreamsBySsrc.TryGetValue(header.Ssrc, out var stream) || stream.Track != track)
            {
                stream = LearnRelayedStream(peer, track, header.Ssrc, rid);
            }
            stream.LastPacketMillis = Environment.TickCount64;
            if (!recovered)
            {
                stream.Statistics.OnPacket(header.SequenceNumber, header.Timestamp, Environment.TickCount64 * 1000);
            }
            Forward(stream, packet, header, recovered);
        }
    }

    // The origin already bounded and identified the streams: here a new SSRC for a layer simply replaces the old one.
    private IncomingStream LearnRelayedStream(SfuPeer peer, PublishedTrack track, uint ssrc, string? rid)
    {
        if (peer.StreamsBySsrc.TryGetValue(ssrc, out var elsewhere))
        {
            RemoveStream(peer, elsewhere);
        }
        var occupant = track.Rids.Count > 0 ? track.Layer(rid) : Stalest(track.Layers);
        if (occupant is not null && (track.Rids.Count > 0 ? occupant.Rid == rid : true))
        {
            RemoveStream(peer, occupant);
        }
        var stream = new IncomingStream(track, ssrc, rid, null, _options.RetransmissionCacheSize, _options.RetransmissionCacheBytes, Environment.TickCount64);
        track.Layers.Add(stream);
        peer.StreamsBySsrc[ssrc] = stream;
        OnLayerLearnt(track);
        return stream;
    }

    /// <summary>Peers with a browser behind them (relay stand-ins not counted): what a node's capacity is about.</summary>
    public int BrowserPeerCount()
    {
        lock (_lock)
        {
            var count = 0;
            foreach (var peer in _peers.Values)
            {
                if (peer.Uplink is null)
                {
                    count++;
                }
            }
            return count;
        }
    }
}
