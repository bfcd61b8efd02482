namespace LiveClassroom.Media.Rtp.Codecs;

/// <summary>What an H.264 RTP payload carries (RFC 6184 §5.6–§5.8).</summary>
internal readonly record struct H264PayloadInfo(int PacketType, bool ContainsIdr, bool ContainsSps, bool ContainsPps, bool IsFragmentStart, bool IsFragmentEnd)
{
    /// <summary>A decoder can start here: an IDR slice, or SPS (which Chrome sends right before the IDR).</summary>
    public bool IsKeyframe => ContainsIdr || ContainsSps;
}
