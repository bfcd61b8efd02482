namespace LiveClassroom.Server.Research;

/// <summary>Configuration section <c>Research</c>.</summary>
public sealed class ResearchLiveOptions
{
    /// <summary>Link to a moment of a library resource (web route): {resourceId} and {seconds} are replaced.</summary>
    public string ResourceLinkTemplate { get; set; } = "/library/{resourceId}?t={seconds}";

    /// <summary>Link to a moment of a recording not (yet) in the library: {recordingId} and {seconds} are replaced.</summary>
    public string RecordingLinkTemplate { get; set; } = "/recordings/{recordingId}?t={seconds}";
}
