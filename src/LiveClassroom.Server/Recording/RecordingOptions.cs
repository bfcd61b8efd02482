namespace LiveClassroom.Server.Recording;

/// <summary>The <c>Recordings</c> configuration section.</summary>
public sealed class RecordingOptions
{
    public const string Section = "Recordings";

    /// <summary>Where recordings are written; relative paths are resolved against the content root.</summary>
    public string Root { get; set; } = ".data/recordings";

    public string FfmpegPath { get; set; } = "ffmpeg";

    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>ffmpeg <c>-threads</c>; 0 lets ffmpeg choose.</summary>
    public int Threads { get; set; }

    /// <summary>Target HLS segment length: what a crash can lose at most, and the VOD player's granularity.</summary>
    public int SegmentSeconds { get; set; } = 4;

    /// <summary>How often a recorder may restart a dead ffmpeg before the recording is marked failed.</summary>
    public int MaxFfmpegRestarts { get; set; } = 3;

    /// <summary>Below this much free space at the root a recording refuses to (re)start a part: disk full.</summary>
    public long MinFreeMegabytes { get; set; } = 256;

    /// <summary>Recording lease: another node may recover a recording whose owner stopped renewing it for this long.</summary>
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>
    /// When the node recording a class dies while the class is still live, how long after its lease ran out the recording
    /// waits for the node the class moved to to continue it (as a further part) before it is finalized with what it has.
    /// </summary>
    public int ContinueGraceSeconds { get; set; } = 60;

    /// <summary>Scheduled lessons are recorded unless the lead teacher opts out.</summary>
    public bool RecordScheduledLessons { get; set; } = true;

    /// <summary>How long tracks may keep appearing before a part starts (camera and microphone arrive together).</summary>
    public int SettleMilliseconds { get; set; } = 400;

    /// <summary>How long a part waits for every track's first packet (a keyframe for video) before starting without it.</summary>
    public int GateMilliseconds { get; set; } = 3000;

    /// <summary>While a part's video still has no keyframe, how often the publisher is asked again (a lost request would leave it without a picture).</summary>
    public int KeyframeRetryMilliseconds { get; set; } = 700;

    /// <summary>
    /// When a publisher comes back (new streams after a reload or in a second tab), how long the next part waits for
    /// the rest of the last part's tracks to come back too (so camera and microphone make one new part, not two).
    /// Nothing is lost by waiting: what arrives meanwhile is replayed into the part.
    /// </summary>
    public int SourceReturnGraceMilliseconds { get; set; } = 2500;

    /// <summary>Compose screen share (large) with the camera (picture-in-picture) instead of recording only the main video.</summary>
    public bool Composite { get; set; }
}
