namespace LiveClassroom.Media.Sfu;

/// <summary>Where a room reports what the façade turns into public events (queued, never raised under the room lock's callers' feet).</summary>
internal interface ISfuEvents
{
    void PeerConnected(string roomId, string peerId);

    void PeerGone(string roomId, string peerId, string reason);

    void TrackPublished(string roomId, PublishedTrack track);

    void TrackUnpublished(string roomId, PublishedTrack track);

    /// <summary>A subscriber's video paused or resumed (audio-first) or changed layer; <paramref name="layer"/> is a rid, <c>single</c>, or null.</summary>
    void MediaQualityChanged(string roomId, string peerId, bool videoPaused, string? layer, long estimatedBitrateBps);
}
