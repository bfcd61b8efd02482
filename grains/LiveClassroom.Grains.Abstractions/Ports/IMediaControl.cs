namespace LiveClassroom.Grains.Ports;

/// <summary>
/// The grains' view of the media plane (the SFU in media/), implemented by the server.
/// A participant's browser sends one SDP offer holding its publish transceivers (camera, microphone,
/// screen) and a fixed set of receive "slots" (recvonly transceivers, each with a mid). The room logic
/// decides which publisher track feeds which slot; switching a slot's source keeps the subscriber's
/// decoder running (the SFU rewrites SSRC, sequence numbers and timestamps and asks for a keyframe).
/// </summary>
public interface IMediaControl
{
    Task OpenRoomAsync(string roomId, CancellationToken ct = default);

    Task CloseRoomAsync(string roomId, CancellationToken ct = default);

    /// <summary>
    /// Offer → answer. Also renegotiation and ICE restart, with the same peer id; an offer from a new connection (new
    /// DTLS fingerprint and new ICE credentials) under a known peer id replaces that peer, keeping its routes. Only the
    /// send m-sections named in <paramref name="publish"/> are published (camera and screen as video, microphone as
    /// audio); any other send m-section is answered without receiving.
    /// </summary>
    /// <exception cref="MediaRefusedException">The offer was refused, with the reason.</exception>
    /// <exception cref="MediaOfferRefusedException">The offer is over a media-plane limit.</exception>
    Task<string> NegotiateAsync(string roomId, string peerId, string sdpOffer, Classroom.PublishedTracks publish, CancellationToken ct = default);

    Task RemovePeerAsync(string roomId, string peerId, CancellationToken ct = default);

    /// <summary>Points a subscriber's receive slot (its mid) at a publisher's track, or at nothing (null).</summary>
    Task RouteAsync(string roomId, string subscriberPeerId, string slotMid, MediaSource? source, CancellationToken ct = default);

    /// <summary>Server-enforced mute: while muted the SFU forwards none of this publisher's audio.</summary>
    Task SetPublisherAudioMutedAsync(string roomId, string publisherPeerId, bool muted, CancellationToken ct = default);

    Task<IReadOnlyList<PeerMediaStats>> GetStatsAsync(string roomId, CancellationToken ct = default);
}

/// <summary>A publisher's track: the peer and the mid of its send transceiver; <paramref name="Rid"/> picks a simulcast layer.</summary>
[GenerateSerializer, Immutable, Alias("lc.MediaSource")]
public sealed record MediaSource(string PublisherPeerId, string PublisherMid, string? Rid = null);

/// <summary>
/// Connection quality of one peer as the SFU sees it. Inbound: what the peer sends the SFU; outbound: what the SFU sends
/// it (<paramref name="OutboundLossFraction"/> from the peer's receiver reports). <paramref name="IncomingStreams"/>:
/// RTP streams (SSRCs: simulcast layers, RTX, audio) the SFU has learnt from it. <paramref name="JitterMs"/>: jitter the
/// peer's receiver reports give for what the SFU sends it; <paramref name="EstimatedBitrateBps"/>: the SFU's estimate of
/// its downlink (0 before feedback); <paramref name="VideoPaused"/>: its video is paused for bandwidth (audio-first).
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.PeerMediaStats")]
public sealed record PeerMediaStats(
    string PeerId,
    string State,
    long InboundBitrateBps,
    long OutboundBitrateBps,
    double InboundLossFraction,
    double RoundTripTimeMs,
    string? ReceivedLayer,
    double OutboundLossFraction = 0,
    int IncomingStreams = 0,
    double JitterMs = 0,
    long EstimatedBitrateBps = 0,
    bool VideoPaused = false);
