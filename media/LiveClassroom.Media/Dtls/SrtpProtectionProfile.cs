// RFC 5764 §4.1.2 and RFC 7714 §14.2: DTLS-SRTP protection profile identifiers.
namespace LiveClassroom.Media.Dtls;

internal enum SrtpProtectionProfileId
{
    AesCm128HmacSha1_80 = 0x0001,
    AeadAes128Gcm = 0x0007,
}
