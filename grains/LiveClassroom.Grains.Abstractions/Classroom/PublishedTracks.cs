namespace LiveClassroom.Grains.Classroom;

/// <summary>The mids of a participant's send transceivers; null where it does not publish that track.</summary>
[GenerateSerializer, Immutable, Alias("lc.PublishedTracks")]
public sealed record PublishedTracks(string? CameraMid = null, string? MicrophoneMid = null, string? ScreenMid = null);
