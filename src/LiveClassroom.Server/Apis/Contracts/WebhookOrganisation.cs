namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>An organisation the caller administers (where they may register webhooks).</summary>
public sealed record WebhookOrganisation(Guid Id, string Name, string Kind);
