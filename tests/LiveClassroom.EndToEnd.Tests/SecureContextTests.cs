using System.Net;
using System.Security.Cryptography;
using LiveClassroom.EndToEnd.Tests.Harness;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>
/// Camera and microphone need a secure context: a projector that opens the server by its LAN address gets them over
/// HTTPS and not over HTTP (where <c>navigator.mediaDevices</c> does not exist).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SecureContextTests(EndToEndFixture fx, LanHttpsServer server) : IClassFixture<LanHttpsServer>
{
    [Fact]
    public async Task Https_WithConfiguredCertificate_AnswersWithThatCertificate()
    {
        string? presented = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                presented = cert?.Thumbprint;
                return cert?.Thumbprint == server.Certificate.Thumbprint;
            },
        };
        using var http = new HttpClient(handler);
        var response = await http.GetAsync(new Uri(server.Https, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(server.Certificate.Thumbprint, presented);
    }

    [Fact]
    public async Task ProjectorPage_OnLanAddress_HasCameraAndMicrophoneOverHttpsOnly()
    {
        // Chromium trusts exactly this server's key (--ignore-certificate-errors-spki-list, honoured with a profile
        // directory), as a projector PC that imported the certificate would; every other certificate error still stands.
        var spki = Convert.ToBase64String(SHA256.HashData(server.Certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        await using var browser = await BrowserSession.LaunchAsync(fx.Playwright, server.Https, extraArgs: [$"--ignore-certificate-errors-spki-list={spki}"]);
        var page = browser.Page;

        await page.GotoAsync(new Uri(server.Https, "/projector").ToString());
        Assert.True(await page.EvaluateAsync<bool>("() => window.isSecureContext"));
        var kinds = await page.EvaluateAsync<string>("""
            async () => {
              const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
              const kinds = stream.getTracks().map(t => t.kind).sort().join(',');
              stream.getTracks().forEach(t => t.stop());
              return kinds;
            }
            """);
        Assert.Equal("audio,video", kinds);

        await page.GotoAsync(new Uri(server.Http, "/projector").ToString());
        Assert.False(await page.EvaluateAsync<bool>("() => window.isSecureContext"));
        Assert.True(await page.EvaluateAsync<bool>("() => navigator.mediaDevices === undefined"));
        browser.AssertNoConsoleErrors();
    }
}
