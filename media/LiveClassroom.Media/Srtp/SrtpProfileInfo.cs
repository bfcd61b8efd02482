namespace LiveClassroom.Media.Srtp;

// RFC 5764 §4.1.2 (CM_80: key 128, salt 112, tag 80 bits) and RFC 7714 §14.2 (GCM-128 / GCM-256: key 128 / 256,
// salt 96, tag 128 bits).
internal static class SrtpProfileInfo
{
    public static int KeyLength(SrtpProfile profile) => profile switch
    {
        SrtpProfile.AesCm128HmacSha1_80 => 16,
        SrtpProfile.AeadAes128Gcm => 16,
        SrtpProfile.AeadAes256Gcm => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(profile)),
    };

    public static int SaltLength(SrtpProfile profile) => profile switch
    {
        SrtpProfile.AesCm128HmacSha1_80 => 14,
        SrtpProfile.AeadAes128Gcm or SrtpProfile.AeadAes256Gcm => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(profile)),
    };

    /// <summary>Bytes SRTP appends to an RTP packet (the tag).</summary>
    public static int RtpOverhead(SrtpProfile profile) => IsAead(profile) ? 16 : 10;

    public static bool IsAead(SrtpProfile profile) => profile is SrtpProfile.AeadAes128Gcm or SrtpProfile.AeadAes256Gcm;

    /// <summary>Bytes SRTCP appends to an RTCP packet (E flag + index, plus the tag).</summary>
    public static int RtcpOverhead(SrtpProfile profile) => RtpOverhead(profile) + 4;

    /// <summary>Length of the DTLS "EXTRACTOR-dtls_srtp" export: two keys and two salts (RFC 5764 §4.2).</summary>
    public static int ExporterLength(SrtpProfile profile) => 2 * (KeyLength(profile) + SaltLength(profile));

    public static bool IsSupported(SrtpProfile profile) =>
        profile is SrtpProfile.AesCm128HmacSha1_80 or SrtpProfile.AeadAes128Gcm or SrtpProfile.AeadAes256Gcm;
}
