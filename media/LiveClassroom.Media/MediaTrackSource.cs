namespace LiveClassroom.Media;

/// <summary>A publisher's track: its peer id and the mid of its send transceiver; <paramref name="Rid"/> picks a simulcast layer (null: the highest).</summary>
public sealed record MediaTrackSource(string PublisherPeerId, string PublisherMid, string? Rid = null);
