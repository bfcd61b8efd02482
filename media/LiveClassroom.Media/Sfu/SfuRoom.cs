using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Sdp;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Sfu;

/// <summary>
/// One room's router: peers, their published tracks and receive slots, and the forwarding between them.
/// Open → Closed (Dispose removes every peer; Negotiate then throws).
/// Threading: one lock guards everything; the transport's receive threads (media), the DTLS threads (key install),
/// the server's timer (RTCP, consent) and API callers all take it. Work under it is short and never blocks, except that
/// a large fan-out is split over the node's lanes while the lock is held (SfuRoom.FanOut.cs).
/// </summary>
internal sealed partial class SfuRoom : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SfuPeer> _peers = new(StringComparer.Ordinal);
    private readonly List<TapRegistration> _tapRegistrations = [];
    // Peer id → the DTLS fingerprint of its association that was dropped when ICE consent expired (see ExpireConsent).
    private readonly Dictionary<string, string> _expiredAssociations = new(StringComparer.Ordinal);
    private readonly IMediaTransport _transport;
    private readonly DtlsCertificate _certificate;
    private readonly MediaServerOptions _options;
    private readonly ISfuEvents _events;
    private readonly Func<(IReadOnlyList<System.Net.IPEndPoint> Udp, IReadOnlyList<System.Net.IPEndPoint> Tcp)> _candidates;
    private readonly byte[] _rtcpScratch = new byte[1500];
    private readonly ushort[] _nackScratch = new ushort[256];
    private readonly uint[] _ssrcScratch = new uint[32];
    private readonly Rtcp.RtcpReportBlock[] _blockScratch = new Rtcp.RtcpReportBlock[31];
    private bool _closed;

    /// <summary>A subscriber's retransmission budget may be spent in a burst of this many seconds' worth.</summary>
    private const double RetransmissionBurstSeconds = 0.25;

    public SfuRoom(string id, IMediaTransport transport, DtlsCertificate certificate, MediaServerOptions options, ISfuEvents events,
        Func<(IReadOnlyList<System.Net.IPEndPoint> Udp, IReadOnlyList<System.Net.IPEndPoint> Tcp)> candidates)
    {
        Id = id;
        _transport = transport;
        _certificate = certificate;
        _options = options;
        _events = events;
        _candidates = candidates;
    }

    public string Id { get; }

    /// <summary>Tests and tools: every recvonly slot is fed automatically from the room's published tracks of its kind.</summary>
    public bool AutoRoute { get; set; }

    public long UnknownStreamPackets { get; private set; }

    public long SrtpFailures { get; private set; }

    public long MalformedPackets { get; private set; }

    /// <summary>Repairs (RTX) of packets the SFU already had, dropped instead of forwarded (SfuRoom.Media.cs, Forward).</summary>
    public long DuplicateRepairs { get; private set; }

    public long TapErrors { get; private set; }

    private SrtpProtectionProfileId[] Profiles => _options.SrtpProfile switch
    {
        SrtpProfilePreference.GcmOnly => [SrtpProtectionProfileId.AeadAes128Gcm],
        SrtpProfilePreference.CmHmacSha1Only => [SrtpProtectionProfileId.AesCm128HmacSha1_80],
        _ => [SrtpProtectionProfileId.AeadAes128Gcm, SrtpProtectionProfileId.AesCm128HmacSha1_80],
    };

    /// <summary>Offer → answer for a new peer, or a renegotiation (tracks added/removed, ICE restart) of a known one.</summary>
    public string Negotiate(string peerId, string sdpOffer, MediaNegotiationOptions options)
    {
        var offer = SdpParser.Parse(sdpOffer);
        // Every m-section costs an answer section, and a receive one a slot with its rewriter: bound them all, not
        // only the slots a participant declares.
        if (offer.Media.Count > _options.MaxMediaSections)
        {
            throw new MediaNegotiationException(MediaNegotiationException.TooManyMediaSections,
                $"The offer has {offer.Media.Count} media sections; at most {_options.MaxMediaSections} are allowed.");
        }
        var negotiated = SdpNegotiator.Negotiate(offer, _options.VideoCodec, _options.NegotiateTransportCc, options.MayPublish,
            _options.DownlinkTransportCc, _options.NegotiateRed);
        var first = offer.Media[0];
        var ufrag = offer.IceUfragOf(first) ?? throw new SdpFormatException("the offer has no a=ice-ufrag");
        _ = offer.IcePwdOf(first) ?? throw new SdpFormatException("the offer has no a=ice-pwd");
        var fingerprint = offer.FingerprintOf(first) ?? throw new SdpFormatException("the offer has no a=fingerprint");
        if (offer.FingerprintAlgorithmOf(first) != "sha-256")
        {
            throw new SdpFormatException(SdpRefusal.Unsupported, "only sha-256 fingerprints are supported");
        }

        SfuPeer? replaced = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (!_peers.TryGetValue(peerId, out var peer))
            {
                if (_expiredAssociations.TryGetValue(peerId, out var expired) && string.Equals(expired, fingerprint, StringComparison.OrdinalIgnoreCase))
                {
                    throw new SdpFormatException(SdpRefusal.AssociationExpired,
                        "the DTLS association of this offer was dropped when its ICE consent expired; a new connection is needed");
                }
                _expiredAssociations.Remove(peerId);
                peer = AddPeer(peerId, fingerprint, ufrag);
            }
            else if (!string.Equals(peer.RemoteFingerprint, fingerprint, StringComparison.OrdinalIgnoreCase))
            {
                // RFC 9429 §5.11: the fingerprint may change only together with the ICE credentials.
                if (peer.RemoteUfrag == ufrag)
                {
                    throw new SdpFormatException(SdpRefusal.FingerprintChanged, "a renegotiation may not change the DTLS fingerprint");
                }
                // A new ICE/DTLS association (RFC 8842 §5) for the same peer id: the participant's page came back
                // (reload, new tab, new RTCPeerConnection). It replaces the old peer at once; see TakeOver.
                replaced = peer;
                peer = AddPeer(peerId, fingerprint, ufrag);
            }
            else if (peer.RemoteUfrag != ufrag)
            {
                // RFC 8839 §4.4.1.1.1: an ICE restart gives the answerer new credentials too.
                peer.Ice.Restart(newRemoteUfrag: ufrag);
                peer.RemoteUfrag = ufrag;
            }
            ApplyMedia(peer, negotiated);
            if (replaced is not null)
            {
                TakeOver(replaced, peer);
            }
            peer.SessionVersion++;
            var credentials = peer.Ice.LocalCredentials;
            var (udp, tcp) = _candidates();
            var local = new SdpLocalParameters(credentials.Ufrag, credentials.Password, _certificate.Fingerprint, udp,
                peer.SessionId, peer.SessionVersion) { TcpCandidates = tcp };
            // Chrome lip-syncs only tracks of one MediaStream: the i-th audio slot and the i-th video slot share a stream
            // (typically the single audio slot with the first video slot, the teacher's camera).
            var sendSlots = new Dictionary<string, SdpSendSlot>(StringComparer.Ordinal);
            var audioIndex = 0;
            var videoIndex = 0;
            foreach (var n in negotiated)
            {
                if (peer.Slots.TryGetValue(n.Mid, out var slot))
                {
                    var index = slot.Kind == "audio" ? audioIndex++ : videoIndex++;
                    sendSlots[slot.Mid] = new SdpSendSlot(slot.Rewriter.OutSsrc, "sfu-" + peer.Id, $"sfu-{peer.Id}-{index}", "slot-" + slot.Mid)
                    {
                        RtxSsrc = slot.RtxSsrc,
                    };
                }
            }
            if (AutoRoute)
            {
                AutoRouteAll();
            }
            var answer = SdpAnswerWriter.Write(offer, negotiated, local, sendSlots);
            if (replaced is not null)
            {
                // Outside the lock: disposing joins the old DTLS thread, which may be waiting for the lock.
                ThreadPool.QueueUserWorkItem(static p => p.Dispose(), replaced, preferLocal: false);
            }
            return answer;
        }
    }

    private SfuPeer AddPeer(string peerId, string fingerprint, string ufrag)
    {
        var peer = new SfuPeer(this, peerId, _transport, _certificate, fingerprint, ufrag, Profiles, _options.ConsentTimeout);
        peer.Bandwidth = new SubscriberBandwidth(_options.InitialDownlinkEstimateBps);
        peer.RetransmissionBudget.SetRate(_options.RetransmissionBudgetBps / 8.0, RetransmissionBurstSeconds, PacketCache.MaxPacketSize * 2);
        peer.Dtls.Connected += OnDtlsConnected;
        peer.Dtls.Failed += OnDtlsFailed;
        peer.Dtls.Closed += OnDtlsClosed;
        // By instance, not id: a replaced peer's late expiry must not remove the peer that replaced it.
        peer.Ice.ConsentExpired += (_, _) => ExpireConsent(peer);
        _peers[peerId] = peer;
        return peer;
    }

    // Mids stay stable across renegotiations: existing tracks and slots keep their state (SSRCs, rewriters).
    private void ApplyMedia(SfuPeer peer, List<NegotiatedMedia> negotiated)
    {
        peer.Media = negotiated;
        peer.Bandwidth.TransportCcId = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in negotiated)
        {
            seen.Add(n.Mid);
            if (!n.Rejected && n.SfuReceives && n.ReceiveCodec is { } codec)
            {
                if (peer.Tracks.TryGetValue(n.Mid, out var track))
                {
                    track.Codec = codec;
                    track.RtxPayloadType = n.ReceiveRtxPayloadType;
                    track.Rids = n.Rids;
                    track.RedPayloadType = n.RedCodec?.PayloadType;
                }
                else
                {
                    track = new PublishedTrack(peer, n.Mid, n.Kind, codec, n.ReceiveRtxPayloadType, n.Rids) { RedPayloadType = n.RedCodec?.PayloadType };
                    peer.Tracks.Add(n.Mid, track);
                    _events.TrackPublished(Id, track);
                    RebindWishes(track);
                }
            }
            else if (peer.Tracks.TryGetValue(n.Mid, out var gone))
            {
                Unpublish(gone);
            }

            if (!n.Rejected && n.SfuSends)
            {
                // One extension id per BUNDLE transport (RFC 8843 §9.1); one-byte elements only (ids 1–14).
                if (!n.SfuReceives && n.TransportCcExtensionId is { } tcc and >= 1 and <= 14)
                {
                    peer.Bandwidth.TransportCcId = tcc;
                }
                if (peer.Slots.TryGetValue(n.Mid, out var slot))
                {
                    slot.Media = n;
                }
                else
                {
                    slot = new SubscriberSlot(peer, n, NewSsrc());
                    if (n.SendRtxPayloadTypes.Count > 0)
                    {
                        slot.RtxSsrc = NewSsrc();
                    }
                    peer.Slots.Add(n.Mid, slot);
                    peer.SlotsBySsrc.Add(slot.Rewriter.OutSsrc, slot);
                }
            }
            else if (peer.Slots.TryGetValue(n.Mid, out var old))
            {
                RouteCore(old, null, null);
                peer.Slots.Remove(n.Mid);
                peer.SlotsBySsrc.Remove(old.Rewriter.OutSsrc);
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

    private uint NewSsrc()
    {
        while (true)
        {
            var ssrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
            var taken = false;
            foreach (var p in _peers.Values)
            {
                taken |= p.SlotsBySsrc.ContainsKey(ssrc);
            }
            if (!taken)
            {
                return ssrc;
            }
        }
    }

    private void Unpublish(PublishedTrack track)
    {
        if (track.Unpublished)
        {
            return;
        }
        track.Unpublished = true;
        track.Publisher.Tracks.Remove(track.Mid);
        foreach (var stream in track.Layers)
        {
            track.Publisher.StreamsBySsrc.Remove(stream.Ssrc);
        }
        var rtx = new List<uint>();
        foreach (var (ssrc, stream) in track.Publisher.StreamsBySsrc)
        {
            if (stream.Track == track)
            {
                rtx.Add(ssrc);
            }
        }
        foreach (var ssrc in rtx)
        {
            track.Publisher.StreamsBySsrc.Remove(ssrc);
        }
        foreach (var slot in track.Listeners.ToArray())
        {
            if (slot.Track == track)
            {
                RouteCore(slot, null, null);
                slot.AutoRouted = false;
            }
            else
            {
                // The slot was switching away from this track: it keeps waiting for its new source.
                slot.Current = null;
                track.Listeners.Remove(slot);
            }
        }
        track.Listeners.Clear();
        _events.TrackUnpublished(Id, track);
        if (AutoRoute)
        {
            AutoRouteAll();
        }
    }

    public void RemovePeer(string peerId, string reason)
    {
        SfuPeer? peer;
        lock (_lock)
        {
            if (!_peers.TryGetValue(peerId, out peer))
            {
                return;
            }
        }
        RemovePeer(peer, reason);
    }

    /// <summary>
    /// RFC 7675 §5.1: consent expired, the peer goes with its DTLS keys. The browser may still hold that connection (its
    /// link was down for longer than the consent timeout, and its ICE restart came only once signalling was back): such
    /// an offer keeps the old fingerprint and no new DTLS handshake follows, so it could never carry media; it is refused
    /// (SdpRefusal.AssociationExpired) and the page starts over on a new peer connection.
    /// </summary>
    private void ExpireConsent(SfuPeer peer)
    {
        lock (_lock)
        {
            if (_peers.TryGetValue(peer.Id, out var current) && current == peer)
            {
                _expiredAssociations[peer.Id] = peer.RemoteFingerprint;
            }
        }
        RemovePeer(peer, "ICE consent expired");
    }

    /// <summary>Removes this peer instance if it is still the room's peer for its id (a replaced one is already gone).</summary>
    private void RemovePeer(SfuPeer peer, string reason)
    {
        var peerId = peer.Id;
        lock (_lock)
        {
            if (!_peers.TryGetValue(peerId, out var current) || current != peer)
            {
                return;
            }
            _peers.Remove(peerId);
            peer.Gone = true;
            foreach (var track in peer.Tracks.Values.ToList())
            {
                Unpublish(track);
            }
            foreach (var slot in peer.Slots.Values)
            {
                RouteCore(slot, null, null);
            }
        }
        _events.PeerGone(Id, peerId, reason);
        // Outside the lock: disposing joins the DTLS thread, which may be waiting for the lock.
        ThreadPool.QueueUserWorkItem(static p => p.Dispose(), peer, preferLocal: false);
    }

    public void SetPublisherAudioMuted(string publisherPeerId, bool muted)
    {
        lock (_lock)
        {
            if (!_peers.TryGetValue(publisherPeerId, out var peer))
            {
                throw new KeyNotFoundException($"no peer {publisherPeerId} in room {Id}");
            }
            if (peer.AudioMuted == muted)
            {
                return;
            }
            peer.AudioMuted = muted;
            if (!muted)
            {
                // Re-base every slot fed by this publisher's audio so the subscriber sees no sequence gap.
                foreach (var track in peer.Tracks.Values)
                {
                    if (track.IsAudio)
                    {
                        foreach (var slot in track.Listeners)
                        {
                            slot.Rewriter.Resync();
                        }
                    }
                }
            }
        }
    }

    public IDisposable AddTap(string publisherPeerId, string mid, RtpPacketTap tap)
    {
        lock (_lock)
        {
            if (!_peers.TryGetValue(publisherPeerId, out var peer) || !peer.Tracks.TryGetValue(mid, out var track))
            {
                throw new KeyNotFoundException($"no track {publisherPeerId}/{mid} in room {Id}");
            }
            // The same callback registering again (a recorder asking for a keyframe) keeps its layer and numbering.
            TapLayerChoice? choice = null;
            foreach (var existing in track.Taps)
            {
                if (existing.Callback.Equals(tap))
                {
                    choice = existing.Choice;
                }
            }
            var entry = new TrackTap(tap, choice ?? new TapLayerChoice());
            track.Taps.Add(entry);
            var wanted = entry.Choice.Target ?? entry.Choice.Current;
            RequestKeyframe(wanted is { } ssrc ? track.LayerBySsrc(ssrc) ?? track.Layer(null) : track.Layer(null), force: true);
            var registration = new TapRegistration(this, track, entry);
            _tapRegistrations.Add(registration);
            return registration;
        }
    }

    private void RemoveTap(TapRegistration registration)
    {
        lock (_lock)
        {
            // The tap may have moved to the track of a peer that replaced the publisher (TakeOver).
            registration.Track.Taps.Remove(registration.Tap);
            _tapRegistrations.Remove(registration);
        }
    }

    /// <summary>A tap on a track; <see cref="Track"/> follows the tap when a replacing peer takes the track over.</summary>
    private sealed class TapRegistration(SfuRoom room, PublishedTrack track, TrackTap tap) : IDisposable
    {
        public PublishedTrack Track { get; set; } = track;

        public TrackTap Tap { get; set; } = tap;

        public void Dispose() => room.RemoveTap(this);
    }

    public IReadOnlyList<string> PeerIds()
    {
        lock (_lock)
        {
            return [.. _peers.Keys];
        }
    }

    /// <summary>The peer with this id, or null (tests hand it packets as its transport worker would).</summary>
    internal SfuPeer? FindPeer(string peerId)
    {
        lock (_lock)
        {
            return _peers.GetValueOrDefault(peerId);
        }
    }

    private void OnDtlsConnected(DtlsSession session, DtlsSrtpKeyingMaterial keys)
    {
        string? peerId = null;
        lock (_lock)
        {
            foreach (var peer in _peers.Values)
            {
                if (peer.Dtls == session)
                {
                    peer.InstallKeys(keys);
                    peerId = peer.Id;
                    // A subscriber that just became reachable needs a keyframe from each source it listens to.
                    foreach (var slot in peer.Slots.Values)
                    {
                        if (slot.Track is not null)
                        {
                            slot.LastKeyframeRequestTicks = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
                            RequestKeyframe(slot.Target ?? slot.Current ?? slot.Track.Layer(slot.Rid), force: true);
                        }
                    }
                }
            }
        }
        if (peerId is not null)
        {
            _events.PeerConnected(Id, peerId);
        }
    }

    private void OnDtlsFailed(DtlsSession session, string reason) => RemoveBySession(session, "dtls failed: " + reason);

    private void OnDtlsClosed(DtlsSession session) => RemoveBySession(session, "closed by the peer (DTLS close_notify)");

    private void RemoveBySession(DtlsSession session, string reason)
    {
        SfuPeer? found = null;
        lock (_lock)
        {
            foreach (var peer in _peers.Values)
            {
                if (peer.Dtls == session)
                {
                    found = peer;
                }
            }
        }
        if (found is not null)
        {
            RemovePeer(found, reason);
        }
    }

    public void Dispose()
    {
        List<string> ids;
        lock (_lock)
        {
            ids = [.. _peers.Keys];
        }
        foreach (var id in ids)
        {
            RemovePeer(id, "room closed");
        }
        lock (_lock)
        {
            _closed = true;
        }
    }
}
