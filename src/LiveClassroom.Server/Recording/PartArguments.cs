using System.Globalization;
using System.Text;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// The ffmpeg command line of one recording part: RTP in (SDP), HLS MPEG-TS segments out (H.264 + AAC), so every
/// finished segment is playable on its own and finalizing is a stream copy.
/// Video: one main picture — the screen share if there is one, else the camera. H.264 is copied untouched; VP8 (and
/// the composite) are encoded to H.264 with libx264 <c>-preset veryfast</c>. With <see cref="RecordingOptions.Composite"/>
/// and both a screen and a camera, the screen fills a 1280×720 canvas and the camera is a 320-px-wide
/// picture-in-picture in the bottom-right corner (filter_complex scale/pad/overlay).
/// Audio: every audio track, mixed with amix when there are several, encoded to AAC (cheap, and what MP4 and HLS players want).
/// </summary>
public static class PartArguments
{
    /// <summary>How long ffmpeg's RTP input waits for a missing packet (its -max_delay; see Build).</summary>
    public const long MaxDelayMs = 3000;

    public static List<string> Build(IReadOnlyList<PartTrack> tracks, string sdpPath, string partDirectory, RecordingOptions options)
    {
        var args = new List<string>
        {
            "-hide_banner", "-nostats", "-loglevel", "warning", "-y",
            "-protocol_whitelist", "file,udp,rtp",
            "-analyzeduration", "1500000",
            // Ends the read after 2 s without packets. ffmpeg notices a stop signal only between packets, so this
            // bounds how long a stop takes once the class has gone quiet; a publisher that stalls this long just
            // starts a new part when its media returns (the default is 10 s).
            "-listen_timeout", "2",
            // A 4 MiB UDP receive buffer (the kernel default, ~200 KiB, is well under a second of HD video): a busy
            // machine that delays ffmpeg's reads for a moment loses no RTP, so no frames break in the recording.
            "-buffer_size", "4194304",
            // RFC 4585/4588: a lost packet comes back as a retransmission one round trip or more later (the SFU asks the
            // publisher for it). ffmpeg's RTP input waits only 100 ms for a missing packet by default, then skips it and
            // drops the retransmission as "received too late" — a broken frame, which a browser's decoder may refuse
            // outright (MEDIA_ERR_DECODE in the library player). The recording is not live: wait up to 3 s. The wait runs
            // on ffmpeg's own clock from the first packet queued behind the gap, and ffmpeg checks it before reading its
            // socket, so it must also outlast a busy node descheduling ffmpeg or the recorder's pump (1 s did not: CI
            // under load gave up packets sent 300 ms late, "RTP: missed 1 packets", in RecorderTests' late-retransmission
            // case). The reorder queue holds 3 s of a 4 Mbps screen share (≈ 1,200 packets). A SIGTERM while a gap is
            // still open would drop what waits behind it: the recorder waits for ffmpeg to give such gaps up before it
            // stops a part (SequenceGaps), so a class's last seconds are kept when its last packets were lost.
            "-max_delay", (MaxDelayMs * 1000).ToString(CultureInfo.InvariantCulture),
            "-reorder_queue_size", "2000",
            "-i", sdpPath,
        };
        if (options.Threads > 0)
        {
            args.AddRange(["-threads", options.Threads.ToString(CultureInfo.InvariantCulture)]);
        }

        var videos = tracks.Where(t => t.Track.Kind == MediaKind.Video).ToList();
        var audios = tracks.Where(t => t.Track.Kind == MediaKind.Audio).ToList();
        var screen = videos.FirstOrDefault(t => t.Track.Source == TrackSource.Screen);
        var camera = videos.FirstOrDefault(t => t.Track.Source != TrackSource.Screen);
        var main = screen ?? camera;
        var graph = new StringBuilder();
        string? videoLabel = null;
        var encodeVideo = false;

        if (options.Composite && screen is not null && camera is not null)
        {
            graph.Append(CultureInfo.InvariantCulture,
                $"[0:{screen.StreamIndex}]scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1[bg];");
            graph.Append(CultureInfo.InvariantCulture, $"[0:{camera.StreamIndex}]scale=320:-2[pip];");
            graph.Append("[bg][pip]overlay=W-w-16:H-h-16[v]");
            videoLabel = "[v]";
            encodeVideo = true;
        }
        else if (main is not null)
        {
            videoLabel = "0:" + main.StreamIndex.ToString(CultureInfo.InvariantCulture);
            encodeVideo = !main.Track.Codec.IsH264;
        }

        string? audioLabel = null;
        if (audios.Count == 1)
        {
            audioLabel = "0:" + audios[0].StreamIndex.ToString(CultureInfo.InvariantCulture);
        }
        else if (audios.Count > 1)
        {
            if (graph.Length > 0)
            {
                graph.Append(';');
            }
            foreach (var a in audios)
            {
                graph.Append(CultureInfo.InvariantCulture, $"[0:{a.StreamIndex}]");
            }
            graph.Append(CultureInfo.InvariantCulture, $"amix=inputs={audios.Count}:duration=longest:dropout_transition=0[a]");
            audioLabel = "[a]";
        }

        if (graph.Length > 0)
        {
            args.AddRange(["-filter_complex", graph.ToString()]);
        }
        if (videoLabel is not null)
        {
            args.AddRange(["-map", videoLabel]);
            if (encodeVideo)
            {
                var seg = options.SegmentSeconds.ToString(CultureInfo.InvariantCulture);
                // Keyframes on segment boundaries so segments cut where the target says.
                args.AddRange(["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
                    "-force_key_frames", $"expr:gte(t,n_forced*{seg})"]);
            }
            else
            {
                args.AddRange(["-c:v", "copy"]);
            }
        }
        if (audioLabel is not null)
        {
            args.AddRange(["-map", audioLabel, "-c:a", "aac", "-b:a", "96k", "-ar", "48000", "-ac", "2"]);
        }
        args.AddRange([
            "-max_muxing_queue_size", "4096",
            "-f", "hls",
            "-hls_time", options.SegmentSeconds.ToString(CultureInfo.InvariantCulture),
            "-hls_segment_type", "mpegts",
            "-hls_playlist_type", "event",
            "-hls_flags", "independent_segments",
            "-hls_segment_filename", Path.Combine(partDirectory, "seg_%05d.ts"),
            Path.Combine(partDirectory, RecordingPaths.LivePlaylist),
        ]);
        return args;
    }
}
