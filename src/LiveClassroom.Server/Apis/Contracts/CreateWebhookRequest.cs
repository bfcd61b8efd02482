namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>Registers a receiver for an organisation the caller administers; the secret is made by the server and shown once.</summary>
public sealed record CreateWebhookRequest(Guid? OrganisationId, string? Url, IReadOnlyList<string>? Events, string? Description);
