using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveClassroom.Media.EndToEnd.Tests.Harness;

/// <summary>
/// A minimal Kestrel host on 127.0.0.1 serving the test page, one signaling endpoint (offer in, answer out) and a
/// long-poll event stream per peer, so the SFU's façade events reach the pages.
/// </summary>
public sealed class SignalingHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Channel<string>> _events = new();

    private SignalingHost(WebApplication app)
    {
        _app = app;
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>A page says its peer leaves (the application's "leave" button).</summary>
    public Action<string, string>? Leave { get; set; }

    /// <summary>Offer → answer; set by the test before pages negotiate.</summary>
    public Func<string, string, string, string>? Negotiate { get; set; }

    public static async Task<SignalingHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var host = new SignalingHost(app);
        var page = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "wwwroot", "index.html"));
        app.MapGet("/", () => Results.Content(page, "text/html"));
        app.MapPost("/signal/{room}/{peer}", async (string room, string peer, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var offer = await reader.ReadToEndAsync();
            var negotiate = host.Negotiate;
            if (negotiate is null)
            {
                return Results.Problem("no negotiator", statusCode: 503);
            }
            try
            {
                return Results.Text(negotiate(room, peer, offer), "application/sdp");
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or KeyNotFoundException)
            {
                return Results.Text(ex.Message, statusCode: 400);
            }
        });
        app.MapPost("/leave/{room}/{peer}", (string room, string peer) =>
        {
            host.Leave?.Invoke(room, peer);
            return Results.NoContent();
        });
        app.MapGet("/events/{room}/{peer}", async (string room, string peer, CancellationToken ct) =>
        {
            var channel = host.EventsOf(room, peer);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                return Results.Text(await channel.Reader.ReadAsync(timeout.Token));
            }
            catch (OperationCanceledException)
            {
                return Results.NoContent();
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseUrl = address.TrimEnd('/');
        return host;
    }

    /// <summary>Queues a text event for one peer's page (delivered through its long poll).</summary>
    public void Post(string room, string peer, string text) => EventsOf(room, peer).Writer.TryWrite(text);

    private Channel<string> EventsOf(string room, string peer) =>
        _events.GetOrAdd(room + "/" + peer, _ => Channel.CreateUnbounded<string>());

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
