// RFC 8827 §6.5: each endpoint presents a self-signed certificate whose fingerprint travels in SDP.
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using TlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace LiveClassroom.Media.Dtls;

/// <summary>An ECDSA P-256 self-signed certificate and its SHA-256 fingerprint, generated once per process or per test.</summary>
internal sealed class DtlsCertificate
{
    private DtlsCertificate(TlsCertificate chain, AsymmetricKeyParameter privateKey, string fingerprint)
    {
        Chain = chain;
        PrivateKey = privateKey;
        Fingerprint = fingerprint;
    }

    public TlsCertificate Chain { get; }

    public AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Upper-case colon-separated hex, as written after <c>a=fingerprint:sha-256</c>.</summary>
    public string Fingerprint { get; }

    public static DtlsCertificate Generate(string commonName = "LiveClassroom")
    {
        var random = new SecureRandom();
        var keyGenerator = new ECKeyPairGenerator("EC");
        keyGenerator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        var keyPair = keyGenerator.GenerateKeyPair();

        var generator = new X509V3CertificateGenerator();
        var name = new X509Name("CN=" + commonName);
        // A random positive serial: browsers cache certificates by issuer + serial.
        generator.SetSerialNumber(new BigInteger(64, random).Add(BigInteger.One));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(DateTime.UtcNow.AddDays(-1));
        generator.SetNotAfter(DateTime.UtcNow.AddDays(30));
        generator.SetPublicKey(keyPair.Public);
        var certificate = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keyPair.Private, random));

        var chain = new TlsCertificate([certificate.CertificateStructure]);
        return new DtlsCertificate(chain, keyPair.Private, DtlsFingerprint.Sha256(certificate.GetEncoded()));
    }
}
