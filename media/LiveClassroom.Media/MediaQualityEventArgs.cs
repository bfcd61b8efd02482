namespace LiveClassroom.Media;

/// <summary>
/// What a subscriber now receives, decided from its downlink estimate (docs/BANDWIDTH.md): its video paused for lack of
/// bandwidth (audio-first) or resumed, or another simulcast layer.
/// </summary>
public sealed class MediaQualityEventArgs(string roomId, string peerId, bool videoPaused, string? layer, long estimatedBitrateBps) : EventArgs
{
    public string RoomId { get; } = roomId;

    public string PeerId { get; } = peerId;

    /// <summary>True while the subscriber's video is paused and only audio flows.</summary>
    public bool VideoPaused { get; } = videoPaused;

    /// <summary>The rid of the layer its (first) video slot carries, <c>single</c> without simulcast, null when paused or none.</summary>
    public string? Layer { get; } = layer;

    public long EstimatedBitrateBps { get; } = estimatedBitrateBps;
}
