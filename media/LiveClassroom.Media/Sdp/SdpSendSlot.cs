namespace LiveClassroom.Media.Sdp;

/// <summary>How the SFU announces what it sends into a subscriber's slot: one stable SSRC and msid per slot.</summary>
internal sealed record SdpSendSlot(uint Ssrc, string Cname, string StreamId, string TrackId);
