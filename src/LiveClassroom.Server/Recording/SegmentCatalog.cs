using System.Globalization;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// The segments a recording has on disk, part by part. A part's live playlist lists the segments ffmpeg closed;
/// a segment it was still writing when it (or the node) died is not listed but is valid MPEG-TS up to the last
/// whole packet, so it is probed and kept when it holds media.
/// </summary>
public static class SegmentCatalog
{
    /// <summary>Parts shorter than this are left out of the finished recording.</summary>
    public const double MinPartSeconds = 0.3;

    public sealed record Segment(string RelativePath, string FullPath, double Duration);

    public sealed record Part(string Name, IReadOnlyList<Segment> Segments);

    public static async Task<IReadOnlyList<Part>> LoadAsync(string recordingDirectory, string ffprobePath, CancellationToken ct)
    {
        var parts = new List<Part>();
        if (!Directory.Exists(recordingDirectory))
        {
            return parts;
        }
        var partDirs = Directory.GetDirectories(recordingDirectory)
            .Where(d => RecordingPaths.PartDirectoryName().IsMatch(Path.GetFileName(d)))
            .Order(StringComparer.Ordinal);
        foreach (var dir in partDirs)
        {
            var name = Path.GetFileName(dir);
            var listed = ReadPlaylist(Path.Combine(dir, RecordingPaths.LivePlaylist));
            var segments = new List<Segment>();
            var files = Directory.GetFiles(dir, "seg_*.ts").Select(Path.GetFileName)
                .Where(f => f is not null && RecordingPaths.SegmentName().IsMatch(f)).Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var full = Path.Combine(dir, file!);
                if (new FileInfo(full).Length == 0)
                {
                    // A part stopped before its first packet (e.g. cut at once for a track that joined): nothing to keep.
                    continue;
                }
                double duration;
                if (listed.TryGetValue(file!, out var d) && d >= MinPartSeconds)
                {
                    duration = d;
                }
                else
                {
                    // Unlisted, or listed as (nearly) empty: ffmpeg stopped while writing it lists a bogus duration; the file decides.
                    duration = await ProbeDurationAsync(ffprobePath, full, ct);
                    if (duration <= 0.05)
                    {
                        continue;
                    }
                }
                segments.Add(new Segment($"{name}/{file}", full, duration));
            }
            // A sliver of a part (cut within moments of its start, e.g. when a track joined) is not worth a broken remux.
            if (segments.Sum(x => x.Duration) >= MinPartSeconds)
            {
                parts.Add(new Part(name, segments));
            }
        }
        return parts;
    }

    /// <summary>Seconds the parts' live playlists list as closed segments (no probing: quick, and a lower bound).</summary>
    public static double ListedSeconds(string recordingDirectory)
    {
        if (!Directory.Exists(recordingDirectory))
        {
            return 0;
        }
        return Directory.GetDirectories(recordingDirectory)
            .Where(d => RecordingPaths.PartDirectoryName().IsMatch(Path.GetFileName(d)))
            .Sum(d => ReadPlaylist(Path.Combine(d, RecordingPaths.LivePlaylist)).Values.Sum());
    }

    private static Dictionary<string, double> ReadPlaylist(string path)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }
        double? pending = null;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                var value = line["#EXTINF:".Length..].Split(',')[0];
                pending = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
            }
            else if (line.Length > 0 && !line.StartsWith('#') && pending is { } duration)
            {
                result[Path.GetFileName(line)] = duration;
                pending = null;
            }
        }
        return result;
    }

    /// <summary>Duration of a media file by ffprobe; 0 when it holds nothing readable.</summary>
    public static async Task<double> ProbeDurationAsync(string ffprobePath, string file, CancellationToken ct)
    {
        var r = await FfmpegRunner.RunAsync(ffprobePath,
            ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", file],
            TimeSpan.FromSeconds(60), ct);
        return r.Ok && double.TryParse(r.StdOut.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
    }
}
