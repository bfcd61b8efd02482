using System.Text.Json;
using System.Text.Json.Serialization;
using LiveClassroom.Server.Hosting;

namespace LiveClassroom.Server.Webhooks;

/// <summary>
/// Where the server reports an event for webhooks: it only stores the event and queues its deliveries (one SQL
/// statement); sending is the <see cref="WebhookDeliveryWorker"/>'s. A failure to queue is logged and never fails the
/// action that raised the event.
/// </summary>
public sealed partial class WebhookPublisher(WebhookStore store, WebhookOptions options, ServerClock clock, ILogger<WebhookPublisher> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// Queues <paramref name="type"/> for the hooks of <paramref name="organisations"/> and their ancestors.
    /// <paramref name="subject"/> names what the event is about (a class id, a recording id…): the same type and
    /// subject are queued once.
    /// </summary>
    public async Task PublishAsync(string type, string subject, IReadOnlyCollection<Guid> organisations, object data, CancellationToken ct = default)
    {
        if (organisations.Count == 0)
        {
            return;
        }
        var eventId = Guid.CreateVersion7();
        var orgs = organisations.Distinct().ToArray();
        var envelope = new WebhookEnvelope(eventId, type, clock.GetUtcNow(), orgs, data);
        try
        {
            var queued = await store.EnqueueAsync(eventId, type, type + ":" + subject, orgs, JsonSerializer.Serialize(envelope, Json), ct);
            if (queued > 0)
            {
                LogQueued(logger, type, subject, queued);
            }
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            LogQueueFailed(logger, ex, type, subject);
        }
    }

    /// <summary>
    /// The same, started without waiting: for the room's turn, which must not wait on the database for webhooks.
    /// Runs without the caller's execution context (a grain's "current activation" must not leak into it).
    /// </summary>
    public void Post(string type, string subject, IReadOnlyCollection<Guid> organisations, object data)
    {
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(() => PublishAsync(type, subject, organisations, data, CancellationToken.None), CancellationToken.None);
        }
    }

    /// <summary>A link into this server for a payload: absolute when <c>Webhooks:PublicBaseUrl</c> is set.</summary>
    public string Link(string path) =>
        string.IsNullOrWhiteSpace(options.PublicBaseUrl) ? path : options.PublicBaseUrl.TrimEnd('/') + path;

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook event {Type} for {Subject}: {Count} deliveries queued")]
    private static partial void LogQueued(ILogger logger, string type, string subject, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook event {Type} for {Subject} could not be queued")]
    private static partial void LogQueueFailed(ILogger logger, Exception error, string type, string subject);
}
