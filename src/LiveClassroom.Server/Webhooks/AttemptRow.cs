namespace LiveClassroom.Server.Webhooks;

/// <summary>A <c>webhook_attempts</c> row: one try of one delivery.</summary>
public sealed class AttemptRow
{
    public long DeliveryId { get; init; }
    public int Attempt { get; init; }
    public DateTime AttemptedAt { get; init; }
    public int? StatusCode { get; init; }
    public string? Error { get; init; }
    public int DurationMs { get; init; }
    public DateTime? NextAttemptAt { get; init; }
}
