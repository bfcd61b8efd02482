using System.Globalization;
using System.Text;
using System.Text.Json;
using LiveClassroom.Server.Jobs;
using LiveClassroom.Server.Library;
using LiveClassroom.Server.Webhooks;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// The <c>recording.finalize</c> job: segments → VOD playlist, MP4 (stream copy, faststart), poster (a frame at
/// 10 % of the duration), duration (ffprobe), WebVTT chapters, and a draft library resource.
/// Idempotent: every output is written under a temporary name and renamed; the database steps are guarded
/// (the resource is created once per recording), so running it twice gives the same outputs and one resource.
/// </summary>
public sealed partial class RecordingFinalizer(
    RecordingService recordings, RecordingStore store, LibraryStore library, NodeIdentity node, WebhookPublisher webhooks,
    ILogger<RecordingFinalizer> logger) : IJobHandler
{
    private static readonly TimeSpan RemuxTimeout = TimeSpan.FromMinutes(20);

    /// <summary>How far into a part a picture is looked for (a keyframe is asked for until one comes, so it comes early).</summary>
    private const int PictureSearchSegments = 15;

    public string Kind => RecordingService.FinalizeJobKind;

    public async Task RunAsync(JobRow job, Func<int, Task> progress, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<FinalizePayload>(job.Payload)
            ?? throw new InvalidOperationException("finalize job without payload");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var succeeded = false;
        try
        {
            await FinalizeAsync(payload.RecordingId, progress, ct);
            succeeded = true;
        }
        finally
        {
            RecordingMeters.Finalized(System.Diagnostics.Stopwatch.GetElapsedTime(started), succeeded);
        }
    }

    public async Task FinalizeAsync(Guid recordingId, Func<int, Task> progress, CancellationToken ct)
    {
        var options = recordings.Options;
        var row = await store.GetAsync(recordingId) ?? throw new InvalidOperationException($"recording {recordingId} does not exist");
        if (row.Status is "recording" or "paused")
        {
            // Its recorder is still running somewhere; the retry comes after it stops or its lease is taken over.
            throw new InvalidOperationException($"recording {recordingId} is still {row.Status}");
        }
        var dir = RecordingPaths.Directory(recordings.Root, recordingId);
        if (!Directory.Exists(dir) && row.NodeId != node.Id)
        {
            // Without shared storage the segments are on the recording node: fail this attempt so that node's
            // worker (retried with back-off) gets the job, instead of concluding that nothing was recorded.
            throw new InvalidOperationException($"the segments of recording {recordingId} are on node {row.NodeId}, not here");
        }
        var (parts, audioOnly) = await PartsWithOneLayoutAsync(recordingId, await SegmentCatalog.LoadAsync(dir, options.FfprobePath, ct), ct);
        if (parts.Count == 0)
        {
            await store.MarkNothingRecordedAsync(recordingId);
            LogNothing(logger, recordingId);
            return;
        }
        await progress(10);

        await WriteAtomicallyAsync(Path.Combine(dir, RecordingPaths.VodPlaylist), PlaylistWriter.Vod(parts), ct);
        await progress(20);

        var mp4 = Path.Combine(dir, RecordingPaths.Mp4);
        await RemuxAsync(dir, parts, mp4, audioOnly, ct);
        await progress(70);

        var duration = await SegmentCatalog.ProbeDurationAsync(options.FfprobePath, mp4, ct);
        if (duration <= 0)
        {
            throw new InvalidOperationException("ffprobe could not read the duration of the remuxed MP4");
        }
        var hasVideo = await HasVideoAsync(mp4, ct);
        if (hasVideo)
        {
            await PosterAsync(mp4, Path.Combine(dir, RecordingPaths.Poster), duration, ct);
        }
        await progress(85);

        var chapters = await store.ChaptersAsync(recordingId);
        await WriteAtomicallyAsync(Path.Combine(dir, RecordingPaths.ChaptersVtt), PlaylistWriter.Chapters(chapters, duration, english: false), ct);
        await WriteAtomicallyAsync(Path.Combine(dir, RecordingPaths.ChaptersEnVtt), PlaylistWriter.Chapters(chapters, duration, english: true), ct);

        // The library draft first, then "ready": whoever sees the recording ready (a page polling it, a test, an API
        // client) finds its resource too. A finalize that dies between the two runs again and only refreshes the draft.
        var course = JsonSerializer.Deserialize<CourseInfo>(row.Metadata) ?? new CourseInfo();
        var resourceId = await library.EnsureResourceAsync(row, course, duration);
        await store.MarkFinalizedAsync(recordingId, duration, hasVideo);
        // Once per recording (the event's key): a finalize run again does not announce it again.
        await webhooks.PublishAsync(WebhookEvents.RecordingReady, recordingId.ToString(), [row.SchoolId], new
        {
            recordingId,
            resourceId,
            roomId = row.RoomId,
            schoolId = row.SchoolId,
            teacherId = row.TeacherId,
            title = course.Title,
            durationSeconds = Math.Round(duration, 1),
            hasVideo,
            links = new
            {
                recording = webhooks.Link($"/api/recordings/{recordingId}"),
                resource = webhooks.Link($"/api/library/resources/{resourceId}"),
            },
        }, CancellationToken.None);
        await progress(100);
        LogFinalized(logger, recordingId, duration, parts.Count);
    }

    private async Task RemuxAsync(string dir, IReadOnlyList<SegmentCatalog.Part> parts, string mp4, bool audioOnly, CancellationToken ct)
    {
        // Within a part the segments are one continuous MPEG-TS stream, so the concat protocol joins them byte-wise
        // (no per-file probing: fast for 45 minutes of segments); the concat demuxer then joins parts, re-basing timestamps.
        var list = new StringBuilder("ffconcat version 1.0\n");
        foreach (var part in parts)
        {
            list.Append("file 'concat:").Append(string.Join('|', part.Segments.Select(s => s.FullPath))).Append("'\n");
            // The first part's streams are the MP4's: probe far enough to find a picture behind seconds of sound.
            list.Append("option analyzeduration 30000000\noption probesize 100000000\n");
        }
        var listPath = Path.Combine(dir, "concat.txt.tmp");
        await File.WriteAllTextAsync(listPath, list.ToString(), ct);
        var tmp = mp4 + ".tmp";
        var r = await FfmpegRunner.RunAsync(recordings.Options.FfmpegPath,
        [
            "-hide_banner", "-nostats", "-loglevel", "error", "-y",
            "-f", "concat", "-safe", "0", "-protocol_whitelist", "file,concat", "-i", listPath,
            .. (audioOnly ? (string[])["-map", "0:a?"] : ["-map", "0:v?", "-map", "0:a?"]),
            "-c", "copy", "-movflags", "+faststart", "-f", "mp4", tmp,
        ], RemuxTimeout, ct);
        File.Delete(listPath);
        if (!r.Ok)
        {
            File.Delete(tmp);
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"ffmpeg remux exited with code {r.ExitCode}: {Recorder.LastLines(r.StdErrTail, 6)}"));
        }
        File.Move(tmp, mp4, overwrite: true);
    }

    /// <summary>
    /// Gives every part the same layout for the concat demuxer, which takes its streams from the first part (and the
    /// MP4 muxer refuses a video stream without dimensions). A part whose first segments have no picture yet (its video
    /// waited for a keyframe after a publisher came back) starts at its first segment with one; a part with no picture
    /// at all (none in its first <see cref="PictureSearchSegments"/> segments, or no video stream: only the returning
    /// microphone was back) is left out when other parts have a picture. When no part has a picture the recording is
    /// kept as sound only (<c>AudioOnly</c>) instead of failing every finalize attempt.
    /// </summary>
    private async Task<(IReadOnlyList<SegmentCatalog.Part> Parts, bool AudioOnly)> PartsWithOneLayoutAsync(
        Guid recordingId, IReadOnlyList<SegmentCatalog.Part> parts, CancellationToken ct)
    {
        var withPicture = new List<SegmentCatalog.Part>();
        var leftOut = new List<string>();
        var pictureless = 0;
        foreach (var part in parts)
        {
            var (first, hasVideoTrack) = await FirstSegmentWithPictureAsync(recordingId, part, ct);
            if (first < 0)
            {
                leftOut.Add(part.Name);
                pictureless += hasVideoTrack ? 1 : 0;
                continue;
            }
            if (first > 0)
            {
                LogLeadingSegmentsSkipped(logger, recordingId, part.Name, first);
            }
            withPicture.Add(first == 0 ? part : part with { Segments = [.. part.Segments.Skip(first)] });
        }
        if (withPicture.Count == 0)
        {
            return (parts, pictureless > 0);
        }
        if (leftOut.Count > 0)
        {
            LogPicturelessParts(logger, recordingId, string.Join(",", leftOut));
        }
        return (withPicture, false);
    }

    /// <summary>
    /// Index of the part's first segment whose video has dimensions (-1: none), and whether the part records video at
    /// all (its session description has a video m-line; ffprobe may not list a stream a segment has no packet of).
    /// </summary>
    private async Task<(int First, bool HasVideoTrack)> FirstSegmentWithPictureAsync(Guid recordingId, SegmentCatalog.Part part, CancellationToken ct)
    {
        var sdp = Path.Combine(Path.GetDirectoryName(part.Segments[0].FullPath)!, RecordingPaths.SessionSdp);
        if (File.Exists(sdp) && !(await File.ReadAllTextAsync(sdp, ct)).Contains("m=video", StringComparison.Ordinal))
        {
            return (-1, false);
        }
        var said = "";
        var searched = Math.Min(part.Segments.Count, PictureSearchSegments);
        for (var i = 0; i < searched; i++)
        {
            // Generous probing: a part's first segment may hold seconds of sound before its first picture.
            var r = await FfmpegRunner.RunAsync(recordings.Options.FfprobePath,
                ["-v", "error", "-analyzeduration", "30000000", "-probesize", "100000000",
                 "-show_entries", "stream=codec_type,width", "-of", "csv=p=0", part.Segments[i].FullPath],
                TimeSpan.FromSeconds(60), ct);
            said = string.Create(CultureInfo.InvariantCulture, $"exit {r.ExitCode}: {r.StdOut.ReplaceLineEndings(" ").Trim()} {Recorder.LastLines(r.StdErrTail, 2)}");
            var widths = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.StartsWith("video", StringComparison.Ordinal))
                .Select(l => int.TryParse(l.Split(',').ElementAtOrDefault(1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) ? w : 0);
            if (r.Ok && widths.Any(w => w > 0))
            {
                return (i, true);
            }
        }
        LogNoPictureFound(logger, recordingId, part.Name, searched, said);
        return (-1, true);
    }

    private async Task<bool> HasVideoAsync(string file, CancellationToken ct)
    {
        var r = await FfmpegRunner.RunAsync(recordings.Options.FfprobePath,
            ["-v", "error", "-select_streams", "v", "-show_entries", "stream=codec_type", "-of", "csv=p=0", file],
            TimeSpan.FromSeconds(60), ct);
        return r.Ok && r.StdOut.Contains("video", StringComparison.Ordinal);
    }

    /// <summary>
    /// A frame at 10 % of the duration, or the first frame when there is none there (a recording whose picture starts
    /// late, or a short one whose video ends early): a missing poster would fail every attempt of the job.
    /// </summary>
    private async Task PosterAsync(string mp4, string poster, double duration, CancellationToken ct)
    {
        var tmp = poster + ".tmp";
        FfmpegRunner.Result? last = null;
        foreach (var seconds in new[] { duration * 0.1, 0 })
        {
            File.Delete(tmp);
            var at = seconds.ToString("0.000", CultureInfo.InvariantCulture);
            last = await FfmpegRunner.RunAsync(recordings.Options.FfmpegPath,
            [
                "-hide_banner", "-nostats", "-loglevel", "error", "-y", "-ss", at, "-i", mp4,
                "-frames:v", "1", "-vf", "scale=640:-2", "-q:v", "3", "-f", "image2", "-c:v", "mjpeg", tmp,
            ], TimeSpan.FromMinutes(2), ct);
            if (last.Ok && File.Exists(tmp) && new FileInfo(tmp).Length > 0)
            {
                File.Move(tmp, poster, overwrite: true);
                return;
            }
        }
        throw new InvalidOperationException($"ffmpeg poster exited with code {last!.ExitCode}: {Recorder.LastLines(last.StdErrTail, 4)}");
    }

    private static async Task WriteAtomicallyAsync(string path, string content, CancellationToken ct)
    {
        var tmp = path + ".tmp";
        await File.WriteAllTextAsync(tmp, content, new UTF8Encoding(false), ct);
        File.Move(tmp, path, overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} finalized: {Duration:0.0} s from {Parts} part(s)")]
    private static partial void LogFinalized(ILogger logger, Guid recordingId, double duration, int parts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId}: parts {Parts} have no picture and are left out of the MP4")]
    private static partial void LogPicturelessParts(ILogger logger, Guid recordingId, string parts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId}: part {Part} starts at its first picture; {Count} segment(s) before it left out")]
    private static partial void LogLeadingSegmentsSkipped(ILogger logger, Guid recordingId, string part, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId}: part {Part} records video but none of its first {Segments} segment(s) has a picture (ffprobe {Said})")]
    private static partial void LogNoPictureFound(ILogger logger, Guid recordingId, string part, int segments, string said);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} has no media to finalize")]
    private static partial void LogNothing(ILogger logger, Guid recordingId);
}
