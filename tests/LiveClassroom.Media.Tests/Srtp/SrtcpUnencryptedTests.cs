using System.Buffers.Binary;
using System.Security.Cryptography;
using LiveClassroom.Media.Srtp;

namespace LiveClassroom.Media.Tests.Srtp;

/// <summary>SRTCP with E = 0 (authenticated, not encrypted): built here by hand from the RFC layouts, then unprotected.</summary>
public sealed class SrtcpUnencryptedTests
{
    private static readonly byte[] Rtcp = Convert.FromHexString("81c8000d4d6172734e5450314e54503252545020" + "0000042a0000e9304c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef");

    [Fact]
    public void UnprotectRtcp_CmWithEFlagClear_AuthenticatesWithoutDecrypting()
    {
        var key = Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C");
        var salt = Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
        var auth = Convert.FromHexString("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4");
        using var receiver = AesCmSrtpContext.FromSessionKeys(key, salt, auth);
        // RFC 3711 §3.4: packet || E(0)||index || HMAC-SHA1(packet || E||index)[..10].
        var packet = new byte[Rtcp.Length + 14];
        Rtcp.CopyTo(packet, 0);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(Rtcp.Length), 0x00000007);
        HMACSHA1.HashData(auth, packet.AsSpan(0, Rtcp.Length + 4)).AsSpan(0, 10).CopyTo(packet.AsSpan(Rtcp.Length + 4));
        var forged = packet.ToArray();
        forged[20] ^= 1;

        Assert.Equal(SrtpStatus.AuthenticationFailed, receiver.UnprotectRtcp(forged, out _));
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(packet, out var plainLength));
        Assert.Equal(Rtcp, packet.AsSpan(0, plainLength).ToArray());
    }

    [Fact]
    public void UnprotectRtcp_GcmWithEFlagClear_AuthenticatesWholePacketAsAad()
    {
        var key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        var salt = Convert.FromHexString("517569642070726f2071756f");
        using var receiver = AesGcmSrtpContext.FromSessionKeys(key, salt);
        const uint Index = 0x5d4;
        // RFC 7714 §9.2: IV as for E = 1; AAD = packet || E(0)||index; empty plaintext; layout packet || tag || E||index.
        var nonce = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(nonce.AsSpan(2), 0x4d617273);
        BinaryPrimitives.WriteUInt32BigEndian(nonce.AsSpan(8), Index);
        for (var i = 0; i < 12; i++)
        {
            nonce[i] ^= salt[i];
        }
        var aad = new byte[Rtcp.Length + 4];
        Rtcp.CopyTo(aad, 0);
        BinaryPrimitives.WriteUInt32BigEndian(aad.AsSpan(Rtcp.Length), Index);
        var tag = new byte[16];
        using (var gcm = new AesGcm(key, 16))
        {
            gcm.Encrypt(nonce, Array.Empty<byte>(), Array.Empty<byte>(), tag, aad);
        }
        var packet = new byte[Rtcp.Length + 20];
        Rtcp.CopyTo(packet, 0);
        tag.CopyTo(packet, Rtcp.Length);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(Rtcp.Length + 16), Index);
        var forged = packet.ToArray();
        forged[30] ^= 1;

        Assert.Equal(SrtpStatus.AuthenticationFailed, receiver.UnprotectRtcp(forged, out _));
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(packet, out var plainLength));
        Assert.Equal(Rtcp, packet.AsSpan(0, plainLength).ToArray());
    }
}
