using LiveClassroom.Media.Dtls;

namespace LiveClassroom.Media.Tests.Dtls;

public sealed class DtlsSessionTests
{
    private static readonly DtlsCertificate ServerCertificate = DtlsCertificate.Generate("sfu");
    private static readonly DtlsCertificate ClientCertificate = DtlsCertificate.Generate("peer");

    [Theory]
    [InlineData(0x0007)]
    [InlineData(0x0001)]
    public void Handshake_MatchingFingerprint_BothSidesExportTheSameKeysForTheForcedProfile(int profileId)
    {
        var forced = (SrtpProtectionProfileId)profileId;
        using var pair = new DtlsLoopbackPair(ServerCertificate, ClientCertificate.Fingerprint, [forced]);
        var client = new DtlsSrtpClient(ClientCertificate, [SrtpProtectionProfileId.AeadAes128Gcm, SrtpProtectionProfileId.AesCm128HmacSha1_80]);

        var clientKeys = pair.Connect(client);

        Assert.True(WaitUntil(() => pair.Server.IsConnected, TimeSpan.FromSeconds(5)));
        var serverKeys = pair.Server.KeyingMaterial!;
        Assert.Equal(forced, clientKeys.Profile);
        Assert.Equal(forced, serverKeys.Profile);
        Assert.Equal(DtlsSrtpKeyingMaterial.MaterialLength(forced), serverKeys.Material.Length);
        Assert.Equal(clientKeys.Material, serverKeys.Material);
        Assert.Equal(ServerCertificate.Fingerprint, client.ServerFingerprint);
    }

    [Fact]
    public void Handshake_ClientOffersBoth_ServerPrefersGcm()
    {
        using var pair = new DtlsLoopbackPair(ServerCertificate, ClientCertificate.Fingerprint,
            [SrtpProtectionProfileId.AeadAes128Gcm, SrtpProtectionProfileId.AesCm128HmacSha1_80]);
        var client = new DtlsSrtpClient(ClientCertificate, [SrtpProtectionProfileId.AesCm128HmacSha1_80, SrtpProtectionProfileId.AeadAes128Gcm]);

        Assert.Equal(SrtpProtectionProfileId.AeadAes128Gcm, pair.Connect(client).Profile);
    }

    [Fact]
    public void Handshake_FingerprintMismatch_ServerFailsAndReportsMismatch()
    {
        var other = DtlsCertificate.Generate("someone-else");
        using var pair = new DtlsLoopbackPair(ServerCertificate, other.Fingerprint, [SrtpProtectionProfileId.AeadAes128Gcm]);
        string? reason = null;
        pair.Server.Failed += (_, r) => reason = r;
        var client = new DtlsSrtpClient(ClientCertificate, [SrtpProtectionProfileId.AeadAes128Gcm]);

        Assert.ThrowsAny<Exception>(() => pair.Connect(client));

        // The session marks itself failed just before it raises Failed: wait for the event too, not only the state.
        Assert.True(WaitUntil(() => pair.Server.HasFailed && Volatile.Read(ref reason) is not null, TimeSpan.FromSeconds(5)));
        Assert.True(pair.Server.FingerprintMismatch);
        Assert.False(pair.Server.IsConnected);
        Assert.Contains("fingerprint", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(11)]
    [InlineData(23)]
    [InlineData(42)]
    public void Handshake_TwentyPercentLossBothWays_CompletesWithinTheDeadline(int seed)
    {
        var random = new Random(seed);
        var gate = new object();
        bool Drop()
        {
            lock (gate)
            {
                return random.NextDouble() < 0.2;
            }
        }
        using var pair = new DtlsLoopbackPair(ServerCertificate, ClientCertificate.Fingerprint, [SrtpProtectionProfileId.AeadAes128Gcm], Drop);
        var client = new DtlsSrtpClient(ClientCertificate, [SrtpProtectionProfileId.AeadAes128Gcm]);

        DtlsSrtpKeyingMaterial keys;
        try
        {
            keys = pair.Connect(client);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"client failed; server connected={pair.Server.IsConnected} failed={pair.Server.HasFailed} sent={pair.Server.SentDatagrams} received={pair.Server.ReceivedDatagrams} {pair.ClientCounters}", ex);
        }

        Assert.True(WaitUntil(() => pair.Server.IsConnected, TimeSpan.FromSeconds(10)));
        Assert.Equal(keys.Material, pair.Server.KeyingMaterial!.Material);
        // Replays are bounded: duplicates trigger at most one replay per half timer, never a storm.
        Assert.InRange(pair.Server.SentDatagrams, 1, 400);
    }

    [Fact]
    public void PeerFinished_AfterTheHandshake_EndsTheLingerAndItsThread()
    {
        using var pair = new DtlsLoopbackPair(ServerCertificate, ClientCertificate.Fingerprint, [SrtpProtectionProfileId.AeadAes128Gcm]);
        pair.Connect(new DtlsSrtpClient(ClientCertificate, [SrtpProtectionProfileId.AeadAes128Gcm]));
        Assert.True(WaitUntil(() => pair.Server.IsConnected, TimeSpan.FromSeconds(5)));
        // The linger lasts 30 s by default: well past this test.
        Assert.True(pair.Server.IsLingering);

        pair.Server.PeerFinished();

        Assert.True(WaitUntil(() => !pair.Server.IsLingering, TimeSpan.FromSeconds(5)));
        Assert.True(pair.Server.IsConnected);
        Assert.False(pair.Server.HasFailed);
    }

    [Fact]
    public void PeerFinished_BeforeTheHandshakeEnds_IsIgnored()
    {
        using var pair = new DtlsLoopbackPair(ServerCertificate, ClientCertificate.Fingerprint, [SrtpProtectionProfileId.AeadAes128Gcm]);
        pair.Server.PeerFinished();

        pair.Connect(new DtlsSrtpClient(ClientCertificate, [SrtpProtectionProfileId.AeadAes128Gcm]));

        Assert.True(WaitUntil(() => pair.Server.IsConnected, TimeSpan.FromSeconds(5)));
        Assert.True(pair.Server.IsLingering);
    }

    [Fact]
    public void Deliver_NonDtlsGarbage_IsCountedAndDoesNotStartAHandshake()
    {
        using var session = new DtlsSession(ServerCertificate, ClientCertificate.Fingerprint, [SrtpProtectionProfileId.AeadAes128Gcm], (_, _, _) => { });

        Assert.False(session.Deliver([22, 0xFE, 0xFD, 0, 0]));
        Assert.False(session.Deliver([0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]));

        Assert.Equal(2, session.MalformedDatagrams);
        Assert.False(session.IsConnected || session.HasFailed);
    }

    private static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
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
