namespace LiveClassroom.Grains.Ports;

/// <summary>
/// What an SFU now sends one subscriber, as it told its node (docs/RURAL-LINKS.md, docs/HUB.md <c>MediaQuality</c>):
/// its video paused for lack of bandwidth (audio-first) or resumed, the layer its first video slot carries (null while
/// paused) and its downlink estimate. Carried from the peer's media node to the node of the hub connection holding it.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.MediaQualityNotice")]
public sealed record MediaQualityNotice(bool VideoPaused, string? Layer, long EstimatedBitrateBps);
