namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A webhook as its admins see it (never with its secret).</summary>
public sealed record WebhookView(
    Guid Id, Guid OrganisationId, string OrganisationName, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
