namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>One event sent to one webhook: its state, the last answer and when the next attempt is due.</summary>
public sealed record WebhookDeliveryView(
    long Id, Guid WebhookId, Guid EventId, string EventType, string Status, int Attempts, int MaxAttempts,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError, long? ReplayOf,
    DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);
