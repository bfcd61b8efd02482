namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A new webhook and its signing secret: the only answer that ever carries the secret.</summary>
public sealed record WebhookCreated(WebhookView Webhook, string Secret);
