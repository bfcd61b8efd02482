using System.Globalization;
using System.Text;

namespace LiveClassroom.Server.Recording;

/// <summary>Writes the SDP that tells ffmpeg where each track arrives (RFC 4566; RTP/AVP over loopback UDP).</summary>
public static class SessionDescription
{
    public static string Build(IReadOnlyList<PartTrack> tracks)
    {
        var sb = new StringBuilder();
        sb.Append("v=0\r\n")
          .Append("o=- 0 0 IN IP4 127.0.0.1\r\n")
          .Append("s=LiveClassroom recording\r\n")
          .Append("c=IN IP4 127.0.0.1\r\n")
          .Append("t=0 0\r\n");
        foreach (var t in tracks)
        {
            var codec = t.Track.Codec;
            var media = t.Track.Kind == MediaKind.Video ? "video" : "audio";
            sb.Append(CultureInfo.InvariantCulture, $"m={media} {t.Port} RTP/AVP {t.PayloadType}\r\n");
            sb.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{t.PayloadType} {codec.Name}/{codec.ClockRate}");
            if (t.Track.Kind == MediaKind.Audio && codec.Channels > 1)
            {
                sb.Append(CultureInfo.InvariantCulture, $"/{codec.Channels}");
            }
            sb.Append("\r\n");
            if (!string.IsNullOrWhiteSpace(codec.Fmtp))
            {
                // Only the parameter list: a line break in it would inject SDP lines.
                var fmtp = codec.Fmtp.ReplaceLineEndings(string.Empty);
                sb.Append(CultureInfo.InvariantCulture, $"a=fmtp:{t.PayloadType} {fmtp}\r\n");
            }
            sb.Append("a=recvonly\r\n");
        }
        return sb.ToString();
    }
}
