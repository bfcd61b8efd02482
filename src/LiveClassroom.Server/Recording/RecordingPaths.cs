using System.Globalization;
using System.Text.RegularExpressions;

namespace LiveClassroom.Server.Recording;

/// <summary>The on-disk layout of one recording under the storage root.</summary>
public static partial class RecordingPaths
{
    public const string LivePlaylist = "live.m3u8";
    public const string VodPlaylist = "index.m3u8";
    public const string Mp4 = "video.mp4";
    public const string Poster = "poster.jpg";
    public const string ChaptersVtt = "chapters.vtt";
    public const string ChaptersEnVtt = "chapters.en.vtt";
    public const string SessionSdp = "session.sdp";

    public static string Directory(string root, Guid recordingId) => Path.Combine(root, recordingId.ToString("N"));

    public static string PartName(int part) => "p" + part.ToString("D3", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^p\d{3}$")]
    public static partial Regex PartDirectoryName();

    [GeneratedRegex(@"^seg_\d{5}\.ts$")]
    public static partial Regex SegmentName();

    /// <summary>Files the library serves for playback: the VOD playlist, chapter tracks and segments.</summary>
    [GeneratedRegex(@"^(index\.m3u8|chapters\.vtt|chapters\.en\.vtt|p\d{3}/seg_\d{5}\.ts)$")]
    public static partial Regex ServableHlsFile();
}
