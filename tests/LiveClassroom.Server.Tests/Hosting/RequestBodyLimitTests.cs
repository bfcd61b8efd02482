using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LiveClassroom.Server.Tests.Hosting;

/// <summary>
/// The body limit (64 KB; 2 MB for a lesson plan) is enforced on the bytes read, whatever the framing — on real
/// Kestrel, whose limit this is (the in-process test server has none).
/// </summary>
public sealed class RequestBodyLimitTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>, IDisposable
{
    private readonly WebApplicationFactory<Program> _kestrel = KestrelOn(factory);

    [Fact]
    public async Task ChunkedBody_OneMegabyteToJsonApi_Gets413AndTheServerKeepsRunning()
    {
        using var client = _kestrel.CreateClient();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = new ChunkedJson(1024 * 1024) };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        await JsonAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "too_large");
        using var health = await client.GetAsync("/healthz");
        await JsonAssert.StatusAsync(health, HttpStatusCode.OK);
        using var login = await client.PostAsJsonAsync("/api/auth/login", new { username = "teacher", password = AccountsServerFactory.DemoPassword });
        await JsonAssert.StatusAsync(login, HttpStatusCode.OK);
    }

    [Fact]
    public async Task DeclaredLength_OverTheLimit_Gets413()
    {
        using var client = _kestrel.CreateClient();
        var json = $$"""{"username":"{{new string('a', 100 * 1024)}}","password":"x"}""";

        using var response = await client.PostAsync("/api/auth/login", new StringContent(json, Encoding.UTF8, "application/json"));

        await JsonAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "too_large");
    }

    [Fact]
    public async Task LessonPlan_ChunkedBodyOverSixtyFourKilobytes_IsAccepted()
    {
        using var client = _kestrel.CreateClient();
        using var login = await client.PostAsJsonAsync("/api/auth/login", new { username = "teacher", password = AccountsServerFactory.DemoPassword });
        var token = (await JsonAssert.StatusAsync(login, HttpStatusCode.OK)).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // 150,000 characters of Chinese text: 450 KB of UTF-8, within a plan's 200,000 characters.
        var plan = JsonSerializer.Serialize(new { subject = "语文", stage = "primary", chapter = "荷花", body = new string('荷', 150_000) });

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/research/lesson-plans") { Content = new ChunkedJson(Encoding.UTF8.GetBytes(plan)) };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        await JsonAssert.StatusAsync(response, HttpStatusCode.Created);
    }

    public void Dispose() => _kestrel.Dispose();

    private static WebApplicationFactory<Program> KestrelOn(AccountsServerFactory factory)
    {
        var kestrel = factory.WithOwnCluster(_ => { });
        kestrel.UseKestrel(0);
        return kestrel;
    }

    /// <summary>A JSON body of unknown length, so it is sent with Transfer-Encoding: chunked.</summary>
    private sealed class ChunkedJson : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedJson(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        /// <summary>A login body whose username is <paramref name="size"/> bytes long.</summary>
        public ChunkedJson(int size)
            : this(Encoding.UTF8.GetBytes($$"""{"username":"{{new string('a', size)}}","password":"x"}"""))
        {
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < _bytes.Length; offset += 16 * 1024)
            {
                await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(16 * 1024, _bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
