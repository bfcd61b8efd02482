using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveClassroom.Server.Tests.Webhooks;

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel, ephemeral port) that records each delivery and answers with
/// <see cref="Status"/>; while <see cref="Hold"/> is set it keeps every request open until the hold is released.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly List<Received> _pending = [];

    public sealed record Received(string Body, string? Signature, string? EventId, string? EventType, string? DeliveryId)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
    }

    private WebhookReceiver(WebApplication app) => _app = app;

    public int Status { get; set; } = 200;

    /// <summary>Requests wait on this until it completes (null: answer at once).</summary>
    public TaskCompletionSource? Hold { get; set; }

    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            await receiver._received.Writer.WriteAsync(new Received(body,
                http.Request.Headers["X-LiveClassroom-Signature"].FirstOrDefault(),
                http.Request.Headers["X-LiveClassroom-Event-Id"].FirstOrDefault(),
                http.Request.Headers["X-LiveClassroom-Event"].FirstOrDefault(),
                http.Request.Headers["X-LiveClassroom-Delivery"].FirstOrDefault()));
            if (receiver.Hold is { } hold)
            {
                await hold.Task;
            }
            return Results.StatusCode(receiver.Status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hook";
        return receiver;
    }

    /// <summary>The next delivery of <paramref name="type"/> that <paramref name="match"/> accepts, within 30 s; deliveries not taken stay for later calls.</summary>
    public async Task<Received> NextAsync(string type, Func<Received, bool> match)
    {
        // Deliveries run in parallel, so they may arrive in any order: what does not match now stays for a later call.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
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

    /// <summary>
    /// Checks the signature as a receiver should: the header's t and v1, HMAC-SHA256 of "t.body" under the secret,
    /// compared in constant time. Written from the documented scheme, not with the server's own helper.
    /// </summary>
    public static bool SignatureValid(Received r, string secret)
    {
        if (r.Signature is null)
        {
            return false;
        }
        var parts = r.Signature.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + r.Body));
        byte[] given;
        try
        {
            given = Convert.FromHexString(v1);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    public async ValueTask DisposeAsync()
    {
        Hold?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
