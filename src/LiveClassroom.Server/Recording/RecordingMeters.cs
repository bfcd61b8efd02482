using System.Diagnostics.Metrics;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// The recorders' and the finalizer's own meters on <c>LiveClassroom.Recording</c> (docs/OPERATIONS.md, "Metrics"):
/// ffmpeg exits the recorder did not ask for (restarted, or the recording failed) and finalize durations. The gauges
/// of active recorders and the finalize queue are in <see cref="Operations.ServerMetrics"/>.
/// </summary>
public static class RecordingMeters
{
    public const string MeterName = "LiveClassroom.Recording";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> FfmpegExits = Meter.CreateCounter<long>("liveclassroom.recordings.ffmpeg_restarts", "{restart}",
        "ffmpeg processes of a recording part that died unexpectedly, by outcome: restarted (a new part) or failed (disk full, restart budget used up)");

    private static readonly Histogram<double> FinalizeDuration = Meter.CreateHistogram("liveclassroom.recordings.finalize.duration", "s",
        "How long finalizing a recording took (segments checked, VOD playlist, MP4 remux, thumbnails), by outcome",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1200] });

    /// <summary>Call once the exporter listens: adds the counters' zeros, so their series exist from the first scrape.</summary>
    public static void Initialize()
    {
        FfmpegExits.Add(0, new KeyValuePair<string, object?>("outcome", "restarted"));
        FfmpegExits.Add(0, new KeyValuePair<string, object?>("outcome", "failed"));
    }

    public static void FfmpegDied(bool restarted) =>
        FfmpegExits.Add(1, new KeyValuePair<string, object?>("outcome", restarted ? "restarted" : "failed"));

    public static void Finalized(TimeSpan took, bool succeeded) =>
        FinalizeDuration.Record(took.TotalSeconds, new KeyValuePair<string, object?>("outcome", succeeded ? "done" : "error"));
}
