using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LiveClassroom.Media.Srtp;

// RFC 3711 §4.1.1 (AES-CM IV), §4.2 (HMAC-SHA1, 80-bit tag over packet || ROC), §3.4 (SRTCP layout:
// header || encrypted part || E||index || tag).
internal sealed class AesCmSrtpContext : SrtpContext
{
    private const int TagLength = 10;
    private const int SaltLength = 14;

    private readonly SrtpAesCounterMode _rtpCipher;
    private readonly SrtpAesCounterMode _rtcpCipher;
    private readonly IncrementalHash _rtpHmac;
    private readonly IncrementalHash _rtcpHmac;
    private readonly byte[] _rtpSalt = new byte[SaltLength];
    private readonly byte[] _rtcpSalt = new byte[SaltLength];

    private AesCmSrtpContext(
        ReadOnlySpan<byte> rtpKey, ReadOnlySpan<byte> rtpSalt, ReadOnlySpan<byte> rtpAuth,
        ReadOnlySpan<byte> rtcpKey, ReadOnlySpan<byte> rtcpSalt, ReadOnlySpan<byte> rtcpAuth)
        : base(SrtpProfile.AesCm128HmacSha1_80)
    {
        _rtpCipher = new SrtpAesCounterMode(rtpKey);
        _rtpHmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, rtpAuth);
        rtpSalt.CopyTo(_rtpSalt);
        _rtcpCipher = new SrtpAesCounterMode(rtcpKey);
        _rtcpHmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, rtcpAuth);
        rtcpSalt.CopyTo(_rtcpSalt);
    }

    public static AesCmSrtpContext FromMasterKey(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        Span<byte> keys = stackalloc byte[2 * (16 + SaltLength + 20)];
        var rtpKey = keys[..16];
        var rtpSalt = keys.Slice(16, SaltLength);
        var rtpAuth = keys.Slice(16 + SaltLength, 20);
        var rtcpKey = keys.Slice(50, 16);
        var rtcpSalt = keys.Slice(66, SaltLength);
        var rtcpAuth = keys.Slice(80, 20);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpEncryption, rtpKey);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpSalt, rtpSalt);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpAuthentication, rtpAuth);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpEncryption, rtcpKey);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpSalt, rtcpSalt);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpAuthentication, rtcpAuth);
        var context = new AesCmSrtpContext(rtpKey, rtpSalt, rtpAuth, rtcpKey, rtcpSalt, rtcpAuth);
        CryptographicOperations.ZeroMemory(keys);
        return context;
    }

    /// <summary>Session keys given directly (for test vectors that list session keys).</summary>
    public static AesCmSrtpContext FromSessionKeys(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> auth) =>
        new(key, salt, auth, key, salt, auth);

    protected override void EncryptRtp(Span<byte> packet, int headerLength, int payloadEnd, uint ssrc, ulong index)
    {
        Span<byte> iv = stackalloc byte[SaltLength];
        BuildIv(_rtpSalt, ssrc, index, iv);
        _rtpCipher.Apply(iv, packet[headerLength..payloadEnd]);
        Span<byte> mac = stackalloc byte[20];
        RtpMac(packet[..payloadEnd], (uint)(index >> 16), mac);
        mac[..TagLength].CopyTo(packet[payloadEnd..]);
    }

    protected override bool DecryptRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        var payloadEnd = packet.Length - TagLength;
        Span<byte> mac = stackalloc byte[20];
        RtpMac(packet[..payloadEnd], (uint)(index >> 16), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..TagLength], packet[payloadEnd..]))
        {
            return false;
        }
        Span<byte> iv = stackalloc byte[SaltLength];
        BuildIv(_rtpSalt, ssrc, index, iv);
        _rtpCipher.Apply(iv, packet[headerLength..payloadEnd]);
        return true;
    }

    protected override void EncryptRtcp(Span<byte> packet, int length, uint ssrc, uint index)
    {
        Span<byte> iv = stackalloc byte[SaltLength];
        BuildIv(_rtcpSalt, ssrc, index, iv);
        _rtcpCipher.Apply(iv, packet[8..length]);
        BinaryPrimitives.WriteUInt32BigEndian(packet[length..], 0x80000000u | index);
        Span<byte> mac = stackalloc byte[20];
        _rtcpHmac.AppendData(packet[..(length + 4)]);
        _rtcpHmac.GetHashAndReset(mac);
        mac[..TagLength].CopyTo(packet[(length + 4)..]);
    }

    protected override int RtcpIndexOffset(int packetLength) => packetLength - TagLength - 4;

    protected override bool DecryptRtcp(Span<byte> packet, uint ssrc, uint index, bool encrypted)
    {
        var authEnd = packet.Length - TagLength;
        Span<byte> mac = stackalloc byte[20];
        _rtcpHmac.AppendData(packet[..authEnd]);
        _rtcpHmac.GetHashAndReset(mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..TagLength], packet[authEnd..]))
        {
            return false;
        }
        if (encrypted)
        {
            Span<byte> iv = stackalloc byte[SaltLength];
            BuildIv(_rtcpSalt, ssrc, index, iv);
            _rtcpCipher.Apply(iv, packet[8..(authEnd - 4)]);
        }
        return true;
    }

    protected override void DisposeCrypto()
    {
        _rtpCipher.Dispose();
        _rtcpCipher.Dispose();
        _rtpHmac.Dispose();
        _rtcpHmac.Dispose();
    }

    // IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16); the low 16 bits are the block counter.
    private static void BuildIv(ReadOnlySpan<byte> salt, uint ssrc, ulong index, Span<byte> iv)
    {
        salt.CopyTo(iv);
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        iv[8] ^= (byte)(index >> 40);
        iv[9] ^= (byte)(index >> 32);
        iv[10] ^= (byte)(index >> 24);
        iv[11] ^= (byte)(index >> 16);
        iv[12] ^= (byte)(index >> 8);
        iv[13] ^= (byte)index;
    }

    private void RtpMac(ReadOnlySpan<byte> authenticated, uint roc, Span<byte> mac)
    {
        Span<byte> rocBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
        _rtpHmac.AppendData(authenticated);
        _rtpHmac.AppendData(rocBytes);
        _rtpHmac.GetHashAndReset(mac);
    }
}
