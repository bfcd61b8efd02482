namespace LiveClassroom.Server.Recording;

/// <summary>The recorder asked for a keyframe on a track (queued so the class's loop owns its taps).</summary>
internal sealed record KeyframeRequest(string TrackId);
