namespace LiveClassroom.Media;

/// <summary>A publisher's send transceiver appeared in (or left) its negotiated SDP.</summary>
public sealed class MediaTrackEventArgs(string roomId, string peerId, string mid, string kind, RtpCodec codec, IReadOnlyList<string> rids) : EventArgs
{
    public string RoomId { get; } = roomId;

    public string PeerId { get; } = peerId;

    public string Mid { get; } = mid;

    /// <summary>"audio" or "video".</summary>
    public string Kind { get; } = kind;

    public RtpCodec Codec { get; } = codec;

    /// <summary>Simulcast rids in the publisher's order; empty without simulcast.</summary>
    public IReadOnlyList<string> Rids { get; } = rids;
}
