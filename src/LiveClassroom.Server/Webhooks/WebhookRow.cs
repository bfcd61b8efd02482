namespace LiveClassroom.Server.Webhooks;

/// <summary>A <c>webhooks</c> row without its secret (which only the delivery worker reads).</summary>
public sealed class WebhookRow
{
    public Guid Id { get; init; }
    public Guid OrganisationId { get; init; }
    public string Url { get; init; } = "";
    public string[] Events { get; init; } = [];
    public string? Description { get; init; }
    public bool Enabled { get; init; }
    public Guid CreatedBy { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
}
