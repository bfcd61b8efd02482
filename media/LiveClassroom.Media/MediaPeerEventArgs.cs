namespace LiveClassroom.Media;

/// <summary>A peer connected (DTLS done) or is gone; <see cref="Reason"/> says why it went (removed, consent expired, DTLS failure, closed).</summary>
public sealed class MediaPeerEventArgs(string roomId, string peerId, string? reason = null) : EventArgs
{
    public string RoomId { get; } = roomId;

    public string PeerId { get; } = peerId;

    public string? Reason { get; } = reason;
}
