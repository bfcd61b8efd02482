using LiveClassroom.Media.Srtp;
using LiveClassroom.Media.Tests.TestVectors;

namespace LiveClassroom.Media.Tests.Srtp;

public sealed class SrtpVectorTests
{
    private static readonly byte[] GcmKey = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
    private static readonly byte[] GcmSalt = Convert.FromHexString("517569642070726f2071756f");

    [Fact]
    public void Keystream_Rfc3711AppendixB2_MatchesBlocks()
    {
        var expected = VectorFile.Lines("rfc3711-b2-aes-cm-keystream.hex");
        using var cm = new SrtpAesCounterMode(Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C"));
        var keystream = new byte[0xFF02 * 16];

        cm.Keystream(Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), keystream);

        int[] blocks = [0x0000, 0x0001, 0x0002, 0xFEFF, 0xFF00, 0xFF01];
        for (var i = 0; i < blocks.Length; i++)
        {
            Assert.Equal(expected[i], keystream.AsSpan(blocks[i] * 16, 16).ToArray());
        }
    }

    [Fact]
    public void Derive_Rfc3711AppendixB3_ProducesSessionKeys()
    {
        var v = VectorFile.Lines("rfc3711-b3-key-derivation.hex");
        var key = new byte[16];
        var salt = new byte[14];
        var auth = new byte[20];

        SrtpKeyDerivation.Derive(v[0], v[1], SrtpKeyDerivation.RtpEncryption, key);
        SrtpKeyDerivation.Derive(v[0], v[1], SrtpKeyDerivation.RtpSalt, salt);
        SrtpKeyDerivation.Derive(v[0], v[1], SrtpKeyDerivation.RtpAuthentication, auth);

        Assert.Equal(v[2], key);
        Assert.Equal(v[3], salt);
        Assert.Equal(v[4], auth);
    }

    [Fact]
    public void ProtectRtp_Rfc7714Section16_MatchesVectorAndUnprotects()
    {
        var sections = VectorFile.Sections("rfc7714-16.1-srtp-gcm128.hex");
        var plain = sections[0];
        var expected = sections[1];
        using var sender = AesGcmSrtpContext.FromSessionKeys(GcmKey, GcmSalt);
        using var receiver = AesGcmSrtpContext.FromSessionKeys(GcmKey, GcmSalt);
        var buffer = new byte[plain.Length + sender.RtpOverhead];
        plain.CopyTo(buffer, 0);

        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(buffer, plain.Length, out var length));
        Assert.Equal(expected, buffer.AsSpan(0, length).ToArray());

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, length), out var plainLength));
        Assert.Equal(plain, buffer.AsSpan(0, plainLength).ToArray());
    }

    [Fact]
    public void ProtectRtp_Rfc7714Section16Aes256_MatchesVectorAndUnprotects()
    {
        var sections = VectorFile.Sections("rfc7714-16.2-srtp-gcm256.hex");
        var key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        using var sender = AesGcmSrtpContext.FromSessionKeys(key, GcmSalt);
        using var receiver = AesGcmSrtpContext.FromSessionKeys(key, GcmSalt);
        var buffer = new byte[sections[0].Length + 16];
        sections[0].CopyTo(buffer, 0);

        Assert.Equal(SrtpProfile.AeadAes256Gcm, sender.Profile);
        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(buffer, sections[0].Length, out var length));
        Assert.Equal(sections[1], buffer.AsSpan(0, length).ToArray());
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, length), out var plainLength));
        Assert.Equal(sections[0], buffer.AsSpan(0, plainLength).ToArray());
    }

    [Fact]
    public void ProtectRtcp_Rfc7714Section17_MatchesVectorAndUnprotects()
    {
        var sections = VectorFile.Sections("rfc7714-17.1-srtcp-gcm128.hex");
        var plain = sections[0];
        var expected = sections[1];
        using var sender = AesGcmSrtpContext.FromSessionKeys(GcmKey, GcmSalt);
        using var receiver = AesGcmSrtpContext.FromSessionKeys(GcmKey, GcmSalt);
        sender.SetNextRtcpIndex(0x4d617273, 0x5d4);
        var buffer = new byte[plain.Length + sender.RtcpOverhead];
        plain.CopyTo(buffer, 0);

        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(buffer, plain.Length, out var length));
        Assert.Equal(expected, buffer.AsSpan(0, length).ToArray());

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(buffer.AsSpan(0, length), out var plainLength));
        Assert.Equal(plain, buffer.AsSpan(0, plainLength).ToArray());
    }

    [Fact]
    public void Derive_GcmTwelveByteSalt_ZeroExtendsLikeLibsrtp()
    {
        // Cross-implementation value (libsrtp-compatible stacks): master key 00..0f, master salt 40..4b.
        var masterKey = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        var masterSalt = Convert.FromHexString("404142434445464748494a4b");
        var salt = new byte[12];

        SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpSalt, salt);

        Assert.Equal(Convert.FromHexString("1fcd5d561e66dc49ec1c3ccb"), salt);
    }

    [Theory]
    [InlineData((int)SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData((int)SrtpProfile.AeadAes128Gcm)]
    [InlineData((int)SrtpProfile.AeadAes256Gcm)]
    public void Split_ExporterOutput_OrdersClientKeyServerKeyClientSaltServerSalt(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        var k = SrtpProfileInfo.KeyLength(profile);
        var s = SrtpProfileInfo.SaltLength(profile);
        var material = new byte[SrtpProfileInfo.ExporterLength(profile)];
        for (var i = 0; i < material.Length; i++)
        {
            material[i] = (byte)i;
        }

        var keys = SrtpKeyingMaterial.Split(profile, material);

        Assert.Equal(material[..k], keys.ClientWriteKey);
        Assert.Equal(material[k..(2 * k)], keys.ServerWriteKey);
        Assert.Equal(material[(2 * k)..((2 * k) + s)], keys.ClientWriteSalt);
        Assert.Equal(material[((2 * k) + s)..], keys.ServerWriteSalt);
    }
}
