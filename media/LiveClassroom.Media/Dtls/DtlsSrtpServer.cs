// RFC 5764 §4.1 (use_srtp negotiation) and §4.2 (key derivation) on top of a DTLS 1.2 server (RFC 6347).
using System.Collections;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;

namespace LiveClassroom.Media.Dtls;

/// <summary>
/// BouncyCastle server policy for one peer: ECDSA certificate, mandatory client certificate checked against the
/// fingerprint from the peer's SDP, use_srtp profile selection, keys exported once the handshake completes.
/// </summary>
internal sealed class DtlsSrtpServer : DefaultTlsServer
{
    private readonly DtlsCertificate _certificate;
    private readonly string _expectedPeerFingerprint;
    private readonly SrtpProtectionProfileId[] _profiles;
    private SrtpProtectionProfileId? _selected;

    public DtlsSrtpServer(DtlsCertificate certificate, string expectedPeerFingerprint, SrtpProtectionProfileId[] profilesByPreference)
    {
        _certificate = certificate;
        _expectedPeerFingerprint = expectedPeerFingerprint;
        _profiles = profilesByPreference;
    }

    public DtlsSrtpKeyingMaterial? KeyingMaterial { get; private set; }

    public bool FingerprintMismatch { get; private set; }

    public string? LastAlert { get; private set; }

    // RFC 6347 §4.1 / RFC 8827 §6.5: DTLS 1.2 only (a 1.0-only ClientHello gets protocol_version), and only the AEAD
    // suites browsers offer (RFC 5289 §3.2, RFC 7525 §4.2): no CBC, no SHA-1 MAC (handshake_failure otherwise).
    protected override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    protected override ProtocolVersion MaximumVersion => ProtocolVersion.DTLSv12;

    internal static readonly int[] AllowedCipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ];

    protected override int[] GetCipherSuites() => AllowedCipherSuites;

    protected override TlsSignerCredentials GetECDsaSignerCredentials() =>
        new DefaultTlsSignerCredentials(mContext, _certificate.Chain, _certificate.PrivateKey,
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));

    // Chrome aborts when the request offers rsa_sign only: its certificate is ECDSA.
    public override CertificateRequest GetCertificateRequest()
    {
        IList algorithms = new ArrayList
        {
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha1, SignatureAlgorithm.ecdsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha1, SignatureAlgorithm.rsa),
        };
        return new CertificateRequest([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], algorithms, null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        var chain = clientCertificate?.GetCertificateList();
        if (chain is null || chain.Length == 0)
        {
            FingerprintMismatch = true;
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }
        if (!DtlsFingerprint.Matches(_expectedPeerFingerprint, chain[0].GetDerEncoded()))
        {
            FingerprintMismatch = true;
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    // Chrome's DTLS 1.3-capable ClientHello may omit renegotiation_info; we never renegotiate, so do not insist.
    public override void NotifySecureRenegotiation(bool secureRenegotiation)
    {
    }

    public override void ProcessClientExtensions(IDictionary clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        var offered = TlsSRTPUtils.GetUseSrtpExtension(clientExtensions)
            ?? throw new TlsFatalAlert(AlertDescription.handshake_failure);
        foreach (var preferred in _profiles)
        {
            if (Array.IndexOf(offered.ProtectionProfiles, (int)preferred) >= 0)
            {
                _selected = preferred;
                return;
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure);
    }

    public override IDictionary GetServerExtensions()
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetServerExtensions());
        TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData([(int)_selected!.Value], []));
        return extensions;
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        var profile = _selected!.Value;
        var material = mContext.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, DtlsSrtpKeyingMaterial.MaterialLength(profile));
        KeyingMaterial = new DtlsSrtpKeyingMaterial(profile, material, IsServer: true);
    }

    public override void NotifyAlertRaised(byte alertLevel, byte alertDescription, string message, Exception cause) =>
        LastAlert = $"raised {AlertDescription.GetText(alertDescription)}: {message}";

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription)
    {
        LastAlert = $"received {AlertDescription.GetText(alertDescription)}";
        if (alertDescription == AlertDescription.close_notify || alertLevel == AlertLevel.fatal)
        {
            PeerClosed = true;
        }
    }

    /// <summary>The peer sent close_notify or a fatal alert (a browser closing its RTCPeerConnection).</summary>
    public bool PeerClosed { get; private set; }

    public static DtlsServerProtocol CreateProtocol() => new(new SecureRandom()) { VerifyRequests = false };
}
