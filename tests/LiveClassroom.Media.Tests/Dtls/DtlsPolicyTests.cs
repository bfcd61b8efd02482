using LiveClassroom.Media.Dtls;
using Org.BouncyCastle.Crypto.Tls;

namespace LiveClassroom.Media.Tests.Dtls;

/// <summary>The SFU's DTLS server accepts DTLS 1.2 with ECDHE-ECDSA AES-GCM suites only (issue #12, item 7).</summary>
public sealed class DtlsPolicyTests
{
    private static readonly DtlsCertificate ServerCertificate = DtlsCertificate.Generate("sfu");
    private static readonly DtlsCertificate ClientCertificate = DtlsCertificate.Generate("peer");
    private static readonly SrtpProtectionProfileId[] Gcm = [SrtpProtectionProfileId.AeadAes128Gcm];

    [Fact]
    public void Handshake_ClientOfferingOnlyDtls10_Fails()
    {
        var reason = HandshakeExpectingFailure(new DtlsSrtpClient(ClientCertificate, Gcm, ProtocolVersion.DTLSv10));

        Assert.Contains("protocol_version", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA)]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256)]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA)]
    public void Handshake_ClientOfferingOnlyACbcSuite_Fails(int suite)
    {
        var reason = HandshakeExpectingFailure(new DtlsSrtpClient(ClientCertificate, Gcm, cipherSuites: [suite]));

        Assert.Contains("handshake_failure", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)]
    public void Handshake_ClientOfferingCbcFirstAndAGcmSuite_ConnectsWithGcm(int gcmSuite)
    {
        using var pair = new DtlsLoopbackPair(ServerCertificate, ClientCertificate.Fingerprint, Gcm);
        var client = new DtlsSrtpClient(ClientCertificate, Gcm,
            cipherSuites: [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, gcmSuite]);

        var keys = pair.Connect(client);

        Assert.Equal(gcmSuite, client.NegotiatedCipherSuite);
        Assert.True(WaitUntil(() => pair.Server.IsConnected));
        Assert.Equal(keys.Material, pair.Server.KeyingMaterial!.Material);
    }

    private static string HandshakeExpectingFailure(DtlsSrtpClient client)
    {
        using var pair = new DtlsLoopbackPair(ServerCertificate, ClientCertificate.Fingerprint, Gcm);
        string? reason = null;
        pair.Server.Failed += (_, r) => reason = r;

        Assert.ThrowsAny<Exception>(() => pair.Connect(client));

        Assert.True(WaitUntil(() => pair.Server.HasFailed));
        Assert.False(pair.Server.IsConnected);
        Assert.Null(pair.Server.KeyingMaterial);
        Assert.True(WaitUntil(() => reason is not null));
        return reason!;
    }

    private static bool WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }
            Thread.Sleep(10);
        }
        return condition();
    }
}
