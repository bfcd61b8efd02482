namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>One try of a delivery: the receiver's status code or the error, and when the next try was set for.</summary>
public sealed record WebhookAttemptView(int Attempt, DateTimeOffset AttemptedAt, int? StatusCode, string? Error, int DurationMs, DateTimeOffset? NextAttemptAt);
