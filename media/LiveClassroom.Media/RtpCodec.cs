namespace LiveClassroom.Media;

/// <summary>A negotiated RTP codec: what a recorder needs to depacketize a tapped track.</summary>
public sealed record RtpCodec(int PayloadType, string Name, int ClockRate, int Channels, string? Fmtp)
{
    public bool IsVideo => Name is "VP8" or "H264";
}
