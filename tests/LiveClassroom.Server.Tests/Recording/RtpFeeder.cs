using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LiveClassroom.Server.Recording;

namespace LiveClassroom.Server.Tests.Recording;

/// <summary>
/// Plays the SFU tap in tests: ffmpeg encodes its test sources (H.264 or VP8 video, Opus audio) to RTP on loopback
/// ports this class reads, and every packet is pushed into a recorder's <see cref="IRecordingInput"/>.
/// </summary>
public sealed class RtpFeeder : IAsyncDisposable
{
    public const string VideoTrack = "cam";
    public const string AudioTrack = "mic";
    public const string SecondAudioTrack = "mic2";

    private readonly List<Socket> _sockets = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _readers = [];
    private Process? _ffmpeg;
    private long _firstTicks;
    private long _lastTicks;
    private long _packets;

    public long Packets => Interlocked.Read(ref _packets);

    /// <summary>Seconds between the first and the last packet fed.</summary>
    public double FedSeconds => _firstTicks == 0 ? 0 : Stopwatch.GetElapsedTime(_firstTicks, Interlocked.Read(ref _lastTicks)).TotalSeconds;

    /// <param name="secondAudio">Adds a second microphone (another tone) as a separate audio track.</param>
    /// <param name="declare">False: feed tracks an earlier feeder declared (a publisher coming back with new SSRCs).</param>
    public static RtpFeeder Start(IRecordingInput input, string videoCodec, double seconds, bool secondAudio = false, bool declare = true)
    {
        var feeder = new RtpFeeder();
        var vp8 = videoCodec == "vp8";
        if (declare)
        {
            input.AddTrack(VideoTrack, MediaKind.Video, vp8 ? RtpCodecInfo.Vp8() : RtpCodecInfo.H264());
            input.AddTrack(AudioTrack, MediaKind.Audio, RtpCodecInfo.Opus());
        }
        var videoPort = feeder.Listen(input, VideoTrack);
        var audioPort = feeder.Listen(input, AudioTrack);
        string[] extra = [];
        if (secondAudio)
        {
            input.AddTrack(SecondAudioTrack, MediaKind.Audio, RtpCodecInfo.Opus(), TrackSource.Microphone);
            var port = feeder.Listen(input, SecondAudioTrack);
            extra = ["-map", "2:a", "-c:a", "libopus", "-b:a", "32k", "-f", "rtp", $"rtp://127.0.0.1:{port}"];
        }
        var t = seconds.ToString("0.###", CultureInfo.InvariantCulture);
        string[] video = vp8
            ? ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k", "-g", "25"]
            : ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v", "baseline", "-g", "25", "-bsf:v", "dump_extra"];
        var psi = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])[
            "-hide_banner", "-nostats", "-loglevel", "error",
            "-re", "-t", t, "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
            "-re", "-t", t, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-re", "-t", t, "-f", "lavfi", "-i", "sine=frequency=880:sample_rate=48000",
            "-threads", "1", "-map", "0:v", .. video, "-f", "rtp", $"rtp://127.0.0.1:{videoPort}",
            "-map", "1:a", "-c:a", "libopus", "-b:a", "32k", "-f", "rtp", $"rtp://127.0.0.1:{audioPort}", .. extra])
        {
            psi.ArgumentList.Add(a);
        }
        feeder._ffmpeg = Process.Start(psi)!;
        feeder._ffmpeg.ErrorDataReceived += (_, _) => { };
        feeder._ffmpeg.OutputDataReceived += (_, _) => { };
        feeder._ffmpeg.BeginErrorReadLine();
        feeder._ffmpeg.BeginOutputReadLine();
        return feeder;
    }

    /// <summary>One more H.264 video track (e.g. a screen share), fed from its own ffmpeg.</summary>
    public static RtpFeeder StartVideoOnly(IRecordingInput input, string trackId, TrackSource source, double seconds)
    {
        var feeder = new RtpFeeder();
        input.AddTrack(trackId, MediaKind.Video, RtpCodecInfo.H264(), source);
        var port = feeder.Listen(input, trackId);
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in (string[])[
            "-hide_banner", "-nostats", "-loglevel", "error",
            "-re", "-t", seconds.ToString("0.###", CultureInfo.InvariantCulture), "-f", "lavfi", "-i", "smptebars=size=480x270:rate=15",
            "-threads", "1", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v", "baseline", "-g", "15",
            "-bsf:v", "dump_extra", "-f", "rtp", $"rtp://127.0.0.1:{port}"])
        {
            psi.ArgumentList.Add(a);
        }
        feeder._ffmpeg = Process.Start(psi)!;
        feeder._ffmpeg.ErrorDataReceived += (_, _) => { };
        feeder._ffmpeg.OutputDataReceived += (_, _) => { };
        feeder._ffmpeg.BeginErrorReadLine();
        feeder._ffmpeg.BeginOutputReadLine();
        return feeder;
    }

    /// <summary>Waits until ffmpeg has sent everything, then stops reading once the sockets are drained.</summary>
    public async Task WaitAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await _ffmpeg!.WaitForExitAsync(cts.Token);
        var deadline = Environment.TickCount64 + 5000;
        while (_sockets.Any(s => s.Available > 0) && Environment.TickCount64 < deadline)
        {
            await Task.Delay(20);
        }
        await StopReadingAsync();
    }

    /// <summary>Stops feeding now (the class "ends" or the node "dies" while ffmpeg still sends).</summary>
    public async Task StopAsync()
    {
        if (_ffmpeg is { HasExited: false })
        {
            _ffmpeg.Kill();
            await _ffmpeg.WaitForExitAsync();
        }
        await StopReadingAsync();
    }

    private async Task StopReadingAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_readers);
    }

    private int Listen(IRecordingInput input, string trackId)
    {
        var port = PortAllocator.AllocatePair();
        var rtp = Bind(port);
        _sockets.Add(rtp);
        // The RTCP port too: ffmpeg sends sender reports there, and an unbound port answers with ICMP errors.
        _sockets.Add(Bind(port + 1));
        _readers.Add(Task.Run(async () =>
        {
            var buffer = new byte[2048];
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var n = await rtp.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    var now = Stopwatch.GetTimestamp();
                    Interlocked.CompareExchange(ref _firstTicks, now, 0);
                    Interlocked.Exchange(ref _lastTicks, now);
                    Interlocked.Increment(ref _packets);
                    input.OnRtp(trackId, buffer.AsSpan(0, n));
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }));
        return port;
    }

    private static Socket Bind(int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 * 1024 * 1024 };
        s.Bind(new IPEndPoint(IPAddress.Loopback, port));
        return s;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var s in _sockets)
        {
            s.Dispose();
        }
        _ffmpeg?.Dispose();
        _stop.Dispose();
    }
}
