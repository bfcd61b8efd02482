using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LiveClassroom.Media.Srtp;

// RFC 7714 §8.1 (SRTP IV = 00 00 || SSRC || ROC || SEQ, xor salt; AAD = the RTP header), §9.1 (SRTCP IV =
// 00 00 || SSRC || 00 00 || 0 || index, xor salt; AAD = first 8 octets || E||index; layout header ||
// ciphertext || tag || E||index), §11 (keys from the RFC 3711 KDF).
internal sealed class AesGcmSrtpContext : SrtpContext
{
    private const int TagLength = 16;
    private const int SaltLength = 12;

    private readonly AesGcm _rtpGcm;
    private readonly AesGcm _rtcpGcm;
    private readonly byte[] _rtpSalt = new byte[SaltLength];
    private readonly byte[] _rtcpSalt = new byte[SaltLength];
    private byte[] _aadScratch = [];

    private AesGcmSrtpContext(ReadOnlySpan<byte> rtpKey, ReadOnlySpan<byte> rtpSalt, ReadOnlySpan<byte> rtcpKey, ReadOnlySpan<byte> rtcpSalt)
        : base(rtpKey.Length == 32 ? SrtpProfile.AeadAes256Gcm : SrtpProfile.AeadAes128Gcm)
    {
        _rtpGcm = new AesGcm(rtpKey, TagLength);
        rtpSalt.CopyTo(_rtpSalt);
        _rtcpGcm = new AesGcm(rtcpKey, TagLength);
        rtcpSalt.CopyTo(_rtcpSalt);
    }

    public static AesGcmSrtpContext FromMasterKey(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        // Session keys are as long as the master key (RFC 7714 §11: 128 or 256 bits).
        Span<byte> rtpKey = stackalloc byte[masterKey.Length];
        Span<byte> rtcpKey = stackalloc byte[masterKey.Length];
        Span<byte> rtpSalt = stackalloc byte[SaltLength];
        Span<byte> rtcpSalt = stackalloc byte[SaltLength];
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpEncryption, rtpKey);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpSalt, rtpSalt);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpEncryption, rtcpKey);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpSalt, rtcpSalt);
        var context = new AesGcmSrtpContext(rtpKey, rtpSalt, rtcpKey, rtcpSalt);
        CryptographicOperations.ZeroMemory(rtpKey);
        CryptographicOperations.ZeroMemory(rtcpKey);
        return context;
    }

    /// <summary>Session keys given directly (RFC 7714 §16/§17 test vectors list session keys, not master keys).</summary>
    public static AesGcmSrtpContext FromSessionKeys(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt) =>
        new(key, salt, key, salt);

    protected override void EncryptRtp(Span<byte> packet, int headerLength, int payloadEnd, uint ssrc, ulong index)
    {
        Span<byte> nonce = stackalloc byte[SaltLength];
        RtpNonce(ssrc, index, nonce);
        var payload = packet[headerLength..payloadEnd];
        _rtpGcm.Encrypt(nonce, payload, payload, packet.Slice(payloadEnd, TagLength), packet[..headerLength]);
    }

    protected override bool DecryptRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        var payloadEnd = packet.Length - TagLength;
        Span<byte> nonce = stackalloc byte[SaltLength];
        RtpNonce(ssrc, index, nonce);
        var payload = packet[headerLength..payloadEnd];
        try
        {
            _rtpGcm.Decrypt(nonce, payload, packet[payloadEnd..], payload, packet[..headerLength]);
            return true;
        }
        catch (CryptographicException)
        {
            // AesGcm has no non-throwing decrypt; forged packets are rare, so the cost stays off the normal path.
            return false;
        }
    }

    protected override void EncryptRtcp(Span<byte> packet, int length, uint ssrc, uint index)
    {
        Span<byte> nonce = stackalloc byte[SaltLength];
        RtcpNonce(ssrc, index, nonce);
        var word = 0x80000000u | index;
        Span<byte> aad = stackalloc byte[12];
        packet[..8].CopyTo(aad);
        BinaryPrimitives.WriteUInt32BigEndian(aad[8..], word);
        var body = packet[8..length];
        _rtcpGcm.Encrypt(nonce, body, body, packet.Slice(length, TagLength), aad);
        BinaryPrimitives.WriteUInt32BigEndian(packet[(length + TagLength)..], word);
    }

    protected override int RtcpIndexOffset(int packetLength) => packetLength - 4;

    protected override bool DecryptRtcp(Span<byte> packet, uint ssrc, uint index, bool encrypted)
    {
        var tagStart = packet.Length - 4 - TagLength;
        Span<byte> nonce = stackalloc byte[SaltLength];
        RtcpNonce(ssrc, index, nonce);
        var tag = packet.Slice(tagStart, TagLength);
        var word = packet[(packet.Length - 4)..];
        try
        {
            if (encrypted)
            {
                Span<byte> aad = stackalloc byte[12];
                packet[..8].CopyTo(aad);
                word.CopyTo(aad[8..]);
                var body = packet[8..tagStart];
                _rtcpGcm.Decrypt(nonce, body, tag, body, aad);
            }
            else
            {
                // §9.2 (E = 0): the whole packet plus E||index is associated data, nothing is encrypted.
                if (_aadScratch.Length < tagStart + 4)
                {
                    _aadScratch = new byte[tagStart + 4];
                }
                var aad = _aadScratch.AsSpan(0, tagStart + 4);
                packet[..tagStart].CopyTo(aad);
                word.CopyTo(aad[tagStart..]);
                _rtcpGcm.Decrypt(nonce, ReadOnlySpan<byte>.Empty, tag, Span<byte>.Empty, aad);
            }
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    protected override void DisposeCrypto()
    {
        _rtpGcm.Dispose();
        _rtcpGcm.Dispose();
    }

    private void RtpNonce(uint ssrc, ulong index, Span<byte> nonce)
    {
        nonce[0] = 0;
        nonce[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[6..], (uint)(index >> 16));
        BinaryPrimitives.WriteUInt16BigEndian(nonce[10..], (ushort)index);
        XorSalt(nonce, _rtpSalt);
    }

    private void RtcpNonce(uint ssrc, uint index, Span<byte> nonce)
    {
        nonce[0] = 0;
        nonce[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        nonce[6] = 0;
        nonce[7] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], index & 0x7FFFFFFFu);
        XorSalt(nonce, _rtcpSalt);
    }

    private static void XorSalt(Span<byte> nonce, ReadOnlySpan<byte> salt)
    {
        for (var i = 0; i < SaltLength; i++)
        {
            nonce[i] ^= salt[i];
        }
    }
}
