using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using LiveClassroom.Server.Hosting;

namespace LiveClassroom.Server.Webhooks;

/// <summary>
/// Sends due deliveries: POST of the stored body, signed (<see cref="WebhookSignature"/>), with a short timeout and
/// no redirects. 2xx is success; anything else (or no answer) is retried after the back-off until attempts run out.
/// Runs apart from rooms and hubs, so a slow or dead receiver only ever holds this worker.
/// </summary>
public sealed partial class WebhookDeliveryWorker : BackgroundService
{
    private readonly WebhookStore _store;
    private readonly WebhookOptions _options;
    private readonly ServerClock _clock;
    private readonly ILogger<WebhookDeliveryWorker> _logger;
    private readonly HttpClient _http;

    public WebhookDeliveryWorker(WebhookStore store, WebhookOptions options, ServerClock clock, ILogger<WebhookDeliveryWorker> logger)
    {
        _store = store;
        _options = options;
        _clock = clock;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(5, options.TimeoutSeconds)),
        })
        {
            Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("LiveClassroom-Webhooks", "1"));
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Disabled)
        {
            return Task.CompletedTask;
        }
        var workers = Enumerable.Range(0, Math.Max(1, _options.Workers)).Select(_ => Task.Run(() => LoopAsync(stoppingToken), stoppingToken));
        return Task.WhenAll(workers);
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            ClaimedDelivery? delivery = null;
            try
            {
                delivery = await _store.ClaimAsync(ct);
                if (delivery is not null)
                {
                    await SendAsync(delivery, ct);
                    continue;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                // Claim or outcome not recorded: a claimed delivery's lease runs out and it is claimed again.
                LogStoreFailed(_logger, ex);
            }
            try
            {
                await _store.Wake.WaitAsync(TimeSpan.FromMilliseconds(_options.PollMilliseconds), ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One attempt of one claimed delivery, with its outcome recorded.</summary>
    internal async Task SendAsync(ClaimedDelivery d, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(d.Body);
        var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, d.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.HeaderValue(d.Secret, timestamp, body));
        request.Headers.Add(WebhookSignature.EventIdHeader, d.EventId.ToString());
        request.Headers.Add(WebhookSignature.EventTypeHeader, d.EventType);
        request.Headers.Add(WebhookSignature.DeliveryHeader, d.Id.ToString(CultureInfo.InvariantCulture));
        var watch = Stopwatch.StartNew();
        int? status = null;
        string? error = null;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"HTTP {status} {response.ReasonPhrase}");
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (TaskCanceledException)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"no answer within {_options.TimeoutSeconds} s");
        }
        catch (HttpRequestException ex)
        {
            // The message names the host and the socket error; it never holds the secret or the body.
            error = ex.Message;
        }
        var ms = (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);
        if (error is null)
        {
            await _store.SucceedAsync(d, status!.Value, ms);
            LogDelivered(_logger, d.Id, d.EventType, status.Value, d.Attempts);
        }
        else
        {
            await _store.FailAsync(d, status, error, ms);
            LogAttemptFailed(_logger, d.Id, d.EventType, d.Attempts, d.MaxAttempts, error);
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} ({Type}) answered {Status} on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, long deliveryId, string type, int status, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} ({Type}) attempt {Attempt}/{MaxAttempts} failed: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, long deliveryId, string type, int attempt, int maxAttempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook deliveries: the database could not be reached")]
    private static partial void LogStoreFailed(ILogger logger, Exception ex);
}
