namespace LiveClassroom.Server.Webhooks;

/// <summary>The body of every delivery: the event's id and type, when it happened, where, and its data.</summary>
public sealed record WebhookEnvelope(Guid Id, string Type, DateTimeOffset OccurredAt, IReadOnlyList<Guid> OrganisationIds, object Data);
