// RFC 8122 §5: fingerprint = hash over the DER certificate, upper-case hex octets joined by colons.
using System.Security.Cryptography;

namespace LiveClassroom.Media.Dtls;

internal static class DtlsFingerprint
{
    public static string Sha256(byte[] derCertificate)
    {
        var hash = SHA256.HashData(derCertificate);
        return string.Join(':', Convert.ToHexString(hash).Chunk(2).Select(c => new string(c)));
    }

    /// <summary>Case-insensitive comparison; the SDP may spell hex in either case.</summary>
    public static bool Matches(string expected, byte[] derCertificate) =>
        string.Equals(expected.Trim(), Sha256(derCertificate), StringComparison.OrdinalIgnoreCase);
}
