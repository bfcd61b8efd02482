using System.Security.Cryptography;

namespace LiveClassroom.Media.Srtp;

// RFC 3711 §4.3.1 (key derivation, key_derivation_rate = 0) and §4.3.3 (AES-CM PRF);
// RFC 7714 §11 reuses the same KDF for AES-GCM.
internal static class SrtpKeyDerivation
{
    public const byte RtpEncryption = 0x00;
    public const byte RtpAuthentication = 0x01;
    public const byte RtpSalt = 0x02;
    public const byte RtcpEncryption = 0x03;
    public const byte RtcpAuthentication = 0x04;
    public const byte RtcpSalt = 0x05;

    /// <summary>
    /// Derives <paramref name="output"/>.Length bytes for <paramref name="label"/>. With a key derivation rate
    /// of 0, r = 0 and x = key_id XOR master_salt, where key_id = label || 48 zero bits, right-aligned
    /// against the 112-bit salt (so the label lands on byte 7). A 96-bit GCM salt is zero-extended to
    /// 112 bits on the right first, as libsrtp (and therefore Chrome) does.
    /// </summary>
    public static void Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        if (masterSalt.Length > 14)
        {
            throw new ArgumentException("master salt longer than 112 bits", nameof(masterSalt));
        }
        using var aes = Aes.Create();
        aes.Key = masterKey.ToArray();
        var blocks = (output.Length + 15) / 16;
        var counters = new byte[blocks * 16];
        Span<byte> x = stackalloc byte[14];
        x.Clear();
        masterSalt.CopyTo(x);
        x[7] ^= label;
        for (var i = 0; i < blocks; i++)
        {
            var block = counters.AsSpan(i * 16, 16);
            x.CopyTo(block);
            block[14] = (byte)(i >> 8);
            block[15] = (byte)i;
        }
        var keystream = aes.EncryptEcb(counters, PaddingMode.None);
        keystream.AsSpan(0, output.Length).CopyTo(output);
        CryptographicOperations.ZeroMemory(keystream);
    }
}
