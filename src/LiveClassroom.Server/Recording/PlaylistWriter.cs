using System.Globalization;
using System.Text;

namespace LiveClassroom.Server.Recording;

/// <summary>Writes the VOD playlist (RFC 8216) over the live segments, and WebVTT chapter tracks.</summary>
public static class PlaylistWriter
{
    public static string Vod(IReadOnlyList<SegmentCatalog.Part> parts)
    {
        var max = parts.SelectMany(p => p.Segments).Max(s => s.Duration);
        var sb = new StringBuilder();
        sb.Append("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        sb.Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{(int)Math.Ceiling(max)}\n#EXT-X-MEDIA-SEQUENCE:0\n");
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                // Each part is a new ffmpeg run with its own timestamps (RFC 8216 §4.3.2.3).
                sb.Append("#EXT-X-DISCONTINUITY\n");
            }
            foreach (var s in parts[i].Segments)
            {
                sb.Append(CultureInfo.InvariantCulture, $"#EXTINF:{s.Duration:0.000},\n{s.RelativePath}\n");
            }
        }
        sb.Append("#EXT-X-ENDLIST\n");
        return sb.ToString();
    }

    /// <summary>WebVTT chapters: each mark runs until the next one (or the end).</summary>
    public static string Chapters(IReadOnlyList<ChapterRow> chapters, double duration, bool english)
    {
        var sb = new StringBuilder("WEBVTT\n\n");
        var marks = chapters.Where(c => c.OffsetSeconds < duration).ToList();
        for (var i = 0; i < marks.Count; i++)
        {
            var start = marks[i].OffsetSeconds;
            var end = i + 1 < marks.Count ? Math.Max(start, marks[i + 1].OffsetSeconds) : duration;
            var text = (english ? marks[i].LabelEn : marks[i].LabelZh).ReplaceLineEndings(" ").Replace("-->", "->", StringComparison.Ordinal);
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1}\n{Time(start)} --> {Time(end)}\n{text}\n\n");
        }
        return sb.ToString();
    }

    private static string Time(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}.{t.Milliseconds:000}");
    }
}
