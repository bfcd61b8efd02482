using LiveClassroom.Media;

namespace LiveClassroom.Server.Recording;

/// <summary>The SFU published a track (queued to a class's recording; a bare <see cref="MediaTrackEventArgs"/> is an unpublishing).</summary>
internal sealed record TrackPublished(MediaTrackEventArgs Track);
