namespace LiveClassroom.Server.Webhooks;

/// <summary>A <c>webhook_deliveries</c> row with its event's id and type.</summary>
public sealed class DeliveryRow
{
    public long Id { get; init; }
    public Guid WebhookId { get; init; }
    public Guid EventId { get; init; }
    public string EventType { get; init; } = "";
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public int MaxAttempts { get; init; }
    public DateTime NextAttemptAt { get; init; }
    public DateTime? LastAttemptAt { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public long? ReplayOf { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DeliveredAt { get; init; }
}
