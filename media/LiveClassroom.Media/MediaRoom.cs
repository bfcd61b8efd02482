using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media;

/// <summary>
/// One live room on the SFU. Thread-safe; every call is short (no I/O) and may come from any thread.
/// A peer is identified by the caller's id; its SDP offer decides what it publishes (send transceivers) and which
/// receive slots (recvonly transceivers, by mid) it has.
/// </summary>
public sealed class MediaRoom
{
    private readonly SfuRoom _room;

    internal MediaRoom(SfuRoom room)
    {
        _room = room;
    }

    public string Id => _room.Id;

    /// <summary>Tests/tools: recvonly slots are fed automatically from published tracks of their kind (first unused one).</summary>
    public bool AutoRoute
    {
        get => _room.AutoRoute;
        set => _room.AutoRoute = value;
    }

    internal SfuRoom Engine => _room;

    /// <summary>Offer → answer, publishing every send m-section (tests and tools; see the overload for participants).</summary>
    /// <exception cref="Sdp.SdpFormatException">The offer cannot be negotiated.</exception>
    /// <exception cref="MediaNegotiationException">The offer exceeds a limit (<see cref="MediaServerOptions.MaxMediaSections"/>).</exception>
    public string Negotiate(string peerId, string sdpOffer) => Negotiate(peerId, sdpOffer, MediaNegotiationOptions.Unrestricted);

    /// <summary>
    /// Offer → answer. A known peer id renegotiates (tracks added/removed, ICE restart); existing mids keep their state.
    /// Only the send m-sections <paramref name="options"/> allows are published.
    /// </summary>
    /// <exception cref="Sdp.SdpFormatException">The offer cannot be negotiated.</exception>
    /// <exception cref="MediaNegotiationException">The offer exceeds a limit (<see cref="MediaServerOptions.MaxMediaSections"/>).</exception>
    public string Negotiate(string peerId, string sdpOffer, MediaNegotiationOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(peerId);
        ArgumentException.ThrowIfNullOrEmpty(sdpOffer);
        ArgumentNullException.ThrowIfNull(options);
        return _room.Negotiate(peerId, sdpOffer, options);
    }

    /// <summary>Removes the peer: its tracks are unpublished, slots fed by them stop, <see cref="MediaServer.PeerGone"/> fires.</summary>
    public void RemovePeer(string peerId) => _room.RemovePeer(peerId, "removed");

    /// <summary>Points a subscriber's receive slot at a publisher's track (switching keeps its decoder running), or at nothing.</summary>
    /// <exception cref="KeyNotFoundException">Unknown subscriber slot or publisher track.</exception>
    public void Route(string subscriberPeerId, string slotMid, MediaTrackSource? source) => _room.Route(subscriberPeerId, slotMid, source);

    /// <summary>Server-enforced mute: while muted none of the publisher's audio is forwarded.</summary>
    public void SetPublisherAudioMuted(string publisherPeerId, bool muted) => _room.SetPublisherAudioMuted(publisherPeerId, muted);

    /// <summary>Registers a tap on a publisher track's plain RTP (for the recorder); dispose to remove. Asks for a keyframe.</summary>
    public IDisposable Tap(string publisherPeerId, string mid, RtpPacketTap tap)
    {
        ArgumentNullException.ThrowIfNull(tap);
        return _room.AddTap(publisherPeerId, mid, tap);
    }

    public IReadOnlyList<MediaPeerStats> GetStats() => _room.GetStats();

    /// <summary>
    /// Raises <see cref="MediaServer.MediaQualityChanged"/> again with what was last reported for this subscriber (its
    /// signalling connection was replaced and never heard it), in order with any change; false if nothing was reported.
    /// </summary>
    public bool RepeatMediaQuality(string peerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(peerId);
        return _room.RepeatQuality(peerId);
    }

    public IReadOnlyList<string> PeerIds => _room.PeerIds();
}
