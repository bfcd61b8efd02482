using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>
/// A server listening on this machine's first non-loopback IPv4 address — the address a projector on the school's
/// LAN would open — over HTTP and over HTTPS with a self-signed certificate, configured through Kestrel's standard
/// settings (<c>Kestrel__Certificates__Default__Path</c> / <c>KeyPath</c>, PEM) as README's table documents.
/// </summary>
public sealed class LanHttpsServer : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lc-tls-" + Guid.NewGuid().ToString("N"));
    private ServerProcess? _server;

    public X509Certificate2 Certificate { get; private set; } = null!;

    public Uri Https { get; private set; } = null!;

    public Uri Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var address = LanAddress();
        Directory.CreateDirectory(_dir);
        Certificate = SelfSigned(address);
        var certPath = Path.Combine(_dir, "server.crt");
        var keyPath = Path.Combine(_dir, "server.key");
        await File.WriteAllTextAsync(certPath, Certificate.ExportCertificatePem());
        using (var key = Certificate.GetECDsaPrivateKey()!)
        {
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        }
        Http = new Uri($"http://{address}:{FreePort(address)}");
        Https = new Uri($"https://{address}:{FreePort(address)}");
        _server = await ServerProcess.StartAsync($"{Http.GetLeftPart(UriPartial.Authority)};{Https.GetLeftPart(UriPartial.Authority)}",
            new Dictionary<string, string>
            {
                ["Kestrel__Certificates__Default__Path"] = certPath,
                ["Kestrel__Certificates__Default__KeyPath"] = keyPath,
            });
    }

    private static IPAddress LanAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("this machine has no non-loopback IPv4 address to test a LAN projector with");

    private static X509Certificate2 SelfSigned(IPAddress address)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=LiveClassroom e2e", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(address);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        Certificate?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
