namespace LiveClassroom.Grains.Research;

/// <summary>
/// Shared playback of a library recording, set by the host. A client's current position is
/// <c>PositionSeconds + (Playing ? serverNow − AtServerTime : 0)</c>, with serverNow from the snapshot's clock.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.PlaybackState")]
public sealed record PlaybackState(Guid RecordingId, bool Playing, double PositionSeconds, DateTimeOffset AtServerTime);
