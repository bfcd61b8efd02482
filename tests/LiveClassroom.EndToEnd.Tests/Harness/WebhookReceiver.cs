using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>A webhook receiver on http://127.0.0.1 (HttpListener) that records each delivery and answers 200.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly List<Received> _pending = [];

    public sealed record Received(string Body, string? Signature, string? EventId, string? EventType)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
    }

    public string Url { get; }

    public WebhookReceiver()
    {
        var port = LiveClassroom.Testing.Network.LocalPorts.FreeForTcp(IPAddress.Loopback);
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                var body = await reader.ReadToEndAsync();
                await _received.Writer.WriteAsync(new Received(body, context.Request.Headers["X-LiveClassroom-Signature"],
                    context.Request.Headers["X-LiveClassroom-Event-Id"], context.Request.Headers["X-LiveClassroom-Event"]));
            }
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    /// <summary>The next delivery of <paramref name="type"/> that <paramref name="match"/> accepts, within 60 s; deliveries not taken stay for later calls.</summary>
    public async Task<Received> NextAsync(string type, Func<Received, bool> match)
    {
        // Deliveries run in parallel, so they may arrive in any order: what does not match now stays for a later call.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            lock (_pending)
            {
                var hit = _pending.FindIndex(r => r.EventType == type && match(r));
                if (hit >= 0)
                {
                    var r = _pending[hit];
                    _pending.RemoveAt(hit);
                    return r;
                }
            }
            var next = await _received.Reader.ReadAsync(cts.Token);
            lock (_pending)
            {
                _pending.Add(next);
            }
        }
    }

    /// <summary>HMAC-SHA256 of "t.body" under the secret equals v1 of the signature header (docs/OPERATIONS.md, "Checking the signature").</summary>
    public static bool SignatureValid(Received r, string secret)
    {
        var parts = (r.Signature ?? "").Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1))
        {
            return false;
        }
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + r.Body)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(v1));
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }
}
