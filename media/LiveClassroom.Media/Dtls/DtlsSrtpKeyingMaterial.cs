// RFC 5764 §4.2: the exporter output is client key | server key | client salt | server salt.
namespace LiveClassroom.Media.Dtls;

/// <summary>What a finished DTLS-SRTP handshake yields: the negotiated profile and the exporter output.</summary>
internal sealed record DtlsSrtpKeyingMaterial(SrtpProtectionProfileId Profile, byte[] Material, bool IsServer)
{
    public static int KeyLength(SrtpProtectionProfileId profile) => 16;

    public static int SaltLength(SrtpProtectionProfileId profile) =>
        profile == SrtpProtectionProfileId.AeadAes128Gcm ? 12 : 14;

    public static int MaterialLength(SrtpProtectionProfileId profile) =>
        2 * (KeyLength(profile) + SaltLength(profile));
}
