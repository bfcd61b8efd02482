namespace LiveClassroom.Media;

/// <summary>The SRTP protection profile the DTLS server picks from the client's use_srtp offer.</summary>
public enum SrtpProfilePreference
{
    /// <summary>AEAD_AES_128_GCM (RFC 7714) when offered, else AES_CM_128_HMAC_SHA1_80.</summary>
    PreferGcm,

    /// <summary>Only SRTP_AEAD_AES_128_GCM.</summary>
    GcmOnly,

    /// <summary>Only SRTP_AES128_CM_HMAC_SHA1_80.</summary>
    CmHmacSha1Only,
}
