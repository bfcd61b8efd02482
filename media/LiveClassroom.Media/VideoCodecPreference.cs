namespace LiveClassroom.Media;

/// <summary>Which video codec the SFU asks publishers for when a Chrome offer carries both.</summary>
public enum VideoCodecPreference
{
    /// <summary>H.264 constrained baseline (packetization-mode=1, 42e01f) when offered, VP8 otherwise: recordings copy H.264 into MP4 without re-encoding.</summary>
    H264,

    /// <summary>VP8 when offered, H.264 otherwise.</summary>
    Vp8,
}
