namespace LiveClassroom.Server.Webhooks;

/// <summary>A delivery claimed by a worker, with what it needs to send it (the hook's URL and secret, the event's body).</summary>
public sealed class ClaimedDelivery
{
    public long Id { get; init; }
    public Guid EventId { get; init; }
    public string EventType { get; init; } = "";
    public int Attempts { get; init; }
    public int MaxAttempts { get; init; }
    public string Url { get; init; } = "";
    public string Secret { get; init; } = "";
    public string Body { get; init; } = "";

    // The secret stays out of anything that prints this object.
    public override string ToString() => $"delivery {Id} ({EventType}) to {Url}";
}
