namespace LiveClassroom.Media;

/// <summary>What one participant's offer may do in the room, decided by the caller (the room's rules), not by the offer.</summary>
public sealed class MediaNegotiationOptions
{
    /// <summary>Anything goes: every send m-section is published (tests and tools).</summary>
    public static readonly MediaNegotiationOptions Unrestricted = new();

    /// <summary>
    /// The mids the peer may publish on, each with its kind (<c>audio</c> or <c>video</c>). Null: any send m-section
    /// is published. Otherwise a send m-section whose mid is not listed, or is listed with another kind, publishes
    /// nothing: a <c>sendonly</c> one is answered <c>inactive</c>, a <c>sendrecv</c> one <c>sendonly</c>. An empty map
    /// (an observer) publishes nothing at all.
    /// </summary>
    public IReadOnlyDictionary<string, string>? PublishMids { get; init; }

    public bool MayPublish(string mid, string kind) =>
        PublishMids is null || (PublishMids.TryGetValue(mid, out var allowed) && string.Equals(allowed, kind, StringComparison.Ordinal));
}
