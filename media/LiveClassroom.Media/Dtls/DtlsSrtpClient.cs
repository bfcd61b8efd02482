// RFC 5764 §4.1: the client side of DTLS-SRTP, used by tests and the synthetic load peer.
using System.Collections;
using Org.BouncyCastle.Crypto.Tls;

namespace LiveClassroom.Media.Dtls;

/// <summary>BouncyCastle client policy: offers the given SRTP profiles, presents an ECDSA certificate, records the server's fingerprint.</summary>
internal sealed class DtlsSrtpClient : DefaultTlsClient
{
    private readonly DtlsCertificate _certificate;
    private readonly SrtpProtectionProfileId[] _offered;
    private readonly ProtocolVersion _version;
    private readonly int[] _cipherSuites;

    /// <param name="version">The only DTLS version offered (default 1.2, as browsers).</param>
    /// <param name="cipherSuites">Suites offered (default the server's: ECDHE-ECDSA with AES-GCM).</param>
    public DtlsSrtpClient(DtlsCertificate certificate, SrtpProtectionProfileId[] offered, ProtocolVersion? version = null, int[]? cipherSuites = null)
    {
        _certificate = certificate;
        _offered = offered;
        _version = version ?? ProtocolVersion.DTLSv12;
        _cipherSuites = cipherSuites ?? DtlsSrtpServer.AllowedCipherSuites;
    }

    public DtlsSrtpKeyingMaterial? KeyingMaterial { get; private set; }

    public string? ServerFingerprint { get; private set; }

    /// <summary>The suite the server chose (0 before the handshake completes).</summary>
    public int NegotiatedCipherSuite { get; private set; }

    public override ProtocolVersion MinimumVersion => _version;

    public override ProtocolVersion ClientVersion => _version;

    public override int[] GetCipherSuites() => [.. _cipherSuites];

    public override IDictionary GetClientExtensions()
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        var profiles = new int[_offered.Length];
        for (var i = 0; i < profiles.Length; i++)
        {
            profiles[i] = (int)_offered[i];
        }
        TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData(profiles, []));
        return extensions;
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        NegotiatedCipherSuite = mContext.SecurityParameters.CipherSuite;
        var profile = SelectedProfile ?? throw new TlsFatalAlert(AlertDescription.handshake_failure);
        var material = mContext.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, DtlsSrtpKeyingMaterial.MaterialLength(profile));
        KeyingMaterial = new DtlsSrtpKeyingMaterial(profile, material, IsServer: false);
    }

    private SrtpProtectionProfileId? SelectedProfile { get; set; }

    public override void ProcessServerExtensions(IDictionary serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        var chosen = TlsSRTPUtils.GetUseSrtpExtension(serverExtensions)
            ?? throw new TlsFatalAlert(AlertDescription.handshake_failure);
        if (chosen.ProtectionProfiles.Length != 1 || Array.IndexOf(_offered, (SrtpProtectionProfileId)chosen.ProtectionProfiles[0]) < 0)
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        }
        SelectedProfile = (SrtpProtectionProfileId)chosen.ProtectionProfiles[0];
    }

    private sealed class Authentication(DtlsSrtpClient owner) : TlsAuthentication
    {
        public void NotifyServerCertificate(Certificate serverCertificate)
        {
            var chain = serverCertificate.GetCertificateList();
            if (chain.Length == 0)
            {
                throw new TlsFatalAlert(AlertDescription.bad_certificate);
            }
            owner.ServerFingerprint = DtlsFingerprint.Sha256(chain[0].GetDerEncoded());
        }

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) =>
            new DefaultTlsSignerCredentials(owner.mContext, owner._certificate.Chain, owner._certificate.PrivateKey,
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }
}
