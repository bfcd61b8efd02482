namespace LiveClassroom.Media.Srtp;

/// <summary>SRTP protection profiles, numbered as in the DTLS use_srtp extension (RFC 5764 §4.1.2, RFC 7714 §14.2).</summary>
internal enum SrtpProfile
{
    AesCm128HmacSha1_80 = 0x0001,
    AeadAes128Gcm = 0x0007,
    AeadAes256Gcm = 0x0008,
}
