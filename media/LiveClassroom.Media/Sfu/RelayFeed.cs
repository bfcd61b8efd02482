namespace LiveClassroom.Media.Sfu;

/// <summary>One edge fed by an origin room: which publishers' tracks it carries (by peer id, so a reconnecting publisher stays fed).</summary>
internal sealed class RelayFeed(IRelayDownlink downlink)
{
    public IRelayDownlink Downlink { get; } = downlink;

    /// <summary>Replaced, never mutated, so the packet thread reads a stable set.</summary>
    public HashSet<string> Publishers { get; set; } = new(StringComparer.Ordinal);
}
