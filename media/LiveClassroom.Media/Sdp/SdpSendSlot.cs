namespace LiveClassroom.Media.Sdp;

/// <summary>How the SFU announces what it sends into a subscriber's slot: one stable SSRC and msid per slot.</summary>
internal sealed record SdpSendSlot(uint Ssrc, string Cname, string StreamId, string TrackId)
{
    /// <summary>RFC 4588 RTX SSRC paired with <see cref="Ssrc"/> (a=ssrc-group:FID), 0 for none.</summary>
    public uint RtxSsrc { get; init; }
}
