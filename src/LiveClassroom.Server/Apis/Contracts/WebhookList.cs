namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>The caller's webhooks, the event types there are, and the organisations where the caller may register one.</summary>
public sealed record WebhookList(IReadOnlyList<WebhookView> Webhooks, IReadOnlyList<string> Events, IReadOnlyList<WebhookOrganisation> Organisations);
