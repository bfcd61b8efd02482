namespace LiveClassroom.Server.Library;

/// <summary>One review decision as shown with the resource.</summary>
public sealed class ReviewRow
{
    public string Step { get; init; } = "";
    public string Decision { get; init; } = "";
    public string? Reason { get; init; }
    public Guid ReviewerId { get; init; }
    public string ReviewerName { get; init; } = "";
    public DateTime CreatedAt { get; init; }
}
