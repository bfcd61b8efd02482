using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LiveClassroom.Server.Recording;

namespace LiveClassroom.Server.Tests.Recording;

/// <summary>
/// Plays a stream with chosen first sequence numbers into a recorder: ffmpeg encodes its test sources (H.264 in small RTP
/// packets, so there are many of them, and Opus) once to RTP on loopback, faster than real time, starting at the sequence
/// numbers the test asks for; the packets are kept and then fed to the recorder in RTP-time order at real rate, as a
/// publisher sends them. Knows each track's rolled-over sequence and timestamp span.
/// </summary>
public sealed class RtpReplay
{
    private readonly List<(string Track, double At, byte[] Packet)> _packets = [];

    private RtpReplay()
    {
    }

    public Dictionary<string, TrackSpan> Spans { get; } = [];

    /// <summary>The captured packets (track, RTP time after the track's first, packet) in the order they are played.</summary>
    public IReadOnlyList<(string Track, double At, byte[] Packet)> Packets => _packets;

    /// <summary>
    /// Encodes <paramref name="seconds"/> of H.264 (640×360 unless <paramref name="size"/> says otherwise; RTP payloads of at
    /// most <paramref name="packetSize"/> bytes, SSRC <paramref name="videoSsrc"/> when given) and Opus.
    /// </summary>
    public static async Task<RtpReplay> CaptureAsync(double seconds, ushort videoFirstSeq, ushort audioFirstSeq, int packetSize,
        string size = "640x360", uint? videoSsrc = null)
    {
        var replay = new RtpReplay();
        using var video = Bind(out var videoPort);
        using var audio = Bind(out var audioPort);
        using var stop = new CancellationTokenSource();
        var readers = new[]
        {
            replay.ReadAsync(video, RtpFeeder.VideoTrack, 90_000, stop.Token),
            replay.ReadAsync(audio, RtpFeeder.AudioTrack, 48_000, stop.Token),
        };
        var t = seconds.ToString("0.###", CultureInfo.InvariantCulture);
        // -readrate bounds how fast ffmpeg sends, so the loopback socket buffers never overflow while the packets are kept.
        var result = await FfmpegRunner.RunAsync("ffmpeg", [
            "-hide_banner", "-nostats", "-loglevel", "error",
            "-readrate", "4", "-t", t, "-f", "lavfi", "-i", $"testsrc2=size={size}:rate=25",
            "-readrate", "4", "-t", t, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-threads", "1", "-map", "0:v", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v", "baseline",
            "-qp", "12", "-g", "25", "-bsf:v", "dump_extra", "-seq", videoFirstSeq.ToString(CultureInfo.InvariantCulture),
            .. (videoSsrc is { } ssrc ? (string[])["-ssrc", ssrc.ToString(CultureInfo.InvariantCulture)] : []),
            "-f", "rtp", $"rtp://127.0.0.1:{videoPort}?pkt_size={packetSize}",
            "-map", "1:a", "-c:a", "libopus", "-b:a", "32k", "-seq", audioFirstSeq.ToString(CultureInfo.InvariantCulture),
            "-f", "rtp", $"rtp://127.0.0.1:{audioPort}"], TimeSpan.FromSeconds(120), default);
        Assert.True(result.ExitCode == 0, "ffmpeg could not make the RTP stream: " + result.StdErrTail);
        var deadline = Environment.TickCount64 + 5000;
        while ((video.Available > 0 || audio.Available > 0) && Environment.TickCount64 < deadline)
        {
            await Task.Delay(20);
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        // Stable: the packets of one video frame share their RTP time, and List.Sort (introsort) may swap equal keys,
        // which fed a frame's packets out of order (ffmpeg: "RTP: missed N packets", a keyframe without its start).
        // Each track's capture order is its send order, and OrderBy keeps it among equal times.
        var ordered = replay._packets.OrderBy(p => p.At).ToList();
        replay._packets.Clear();
        replay._packets.AddRange(ordered);
        foreach (var track in replay.Spans.Keys)
        {
            var seqs = replay._packets.Where(p => p.Track == track).Select(p => BinaryPrimitives.ReadUInt16BigEndian(p.Packet.AsSpan(2))).ToList();
            var outOfOrder = seqs.Zip(seqs.Skip(1)).Count(pair => (short)(pair.Second - pair.First) <= 0);
            Assert.True(outOfOrder == 0, $"{track}: {outOfOrder} packet(s) of {seqs.Count} would be fed out of sequence order");
        }
        return replay;
    }

    /// <summary>Feeds every packet to the recorder at real rate: each at its RTP time after the first.</summary>
    public Task PlayAsync(IRecordingInput input) => PlayAsync((track, _, packet) => input.OnRtp(track, packet));

    /// <summary>
    /// Hands every packet (track, RTP time after the first, packet) to <paramref name="send"/> at real rate, from a
    /// thread of its own (as the SFU's packet thread does): paced by Task.Delay on the thread pool, the replay stalled
    /// for seconds while the rest of the suite kept the pool busy, and a recorder fed that unevenly is not the one under test.
    /// </summary>
    public Task PlayAsync(Action<string, double, byte[]> send)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var clock = Stopwatch.StartNew();
                foreach (var (track, at, packet) in _packets)
                {
                    var wait = at - clock.Elapsed.TotalSeconds;
                    if (wait > 0.002)
                    {
                        // Pacing, not synchronisation: the recorder is fed at the rate a publisher sends.
                        Thread.Sleep(TimeSpan.FromSeconds(wait));
                    }
                    send(track, at, packet);
                }
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true, Name = "rtp-replay" };
        thread.Start();
        return done.Task;
    }

    private async Task ReadAsync(Socket socket, string track, int clockRate, CancellationToken stop)
    {
        var buffer = new byte[2048];
        var span = new TrackSpan(clockRate);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, stop);
                var packet = buffer.AsSpan(0, n).ToArray();
                span.Add(BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)), BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4)));
                lock (_packets)
                {
                    _packets.Add((track, span.Seconds, packet));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Captured everything.
        }
        lock (Spans)
        {
            Spans[track] = span;
        }
    }

    private static Socket Bind(out int port)
    {
        port = PortAllocator.AllocatePair();
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 8 * 1024 * 1024 };
        s.Bind(new IPEndPoint(IPAddress.Loopback, port));
        return s;
    }

    /// <summary>One track's packets as RFC 3550 A.1 counts them: sequence numbers and timestamps rolled over.</summary>
    public sealed class TrackSpan(int clockRate)
    {
        private long _firstTimestamp = -1;
        private long _lastTimestamp;
        private long _lastSeq = -1;

        public ushort FirstSeq { get; private set; }

        public long Packets { get; private set; }

        /// <summary>Highest rolled-over sequence number minus the first (negative: nothing came).</summary>
        public long SeqSpan => _lastSeq - FirstSeq;

        /// <summary>Seconds of RTP time from the first packet to the last.</summary>
        public double Seconds => _firstTimestamp < 0 ? 0 : (_lastTimestamp - _firstTimestamp) / (double)clockRate;

        public void Add(ushort seq, uint timestamp)
        {
            if (_lastSeq < 0)
            {
                FirstSeq = seq;
                _lastSeq = seq;
                _firstTimestamp = timestamp;
                _lastTimestamp = timestamp;
            }
            var seqAhead = (short)(seq - (ushort)_lastSeq);
            if (seqAhead > 0)
            {
                _lastSeq += seqAhead;
            }
            var tsAhead = (int)(timestamp - (uint)_lastTimestamp);
            if (tsAhead > 0)
            {
                _lastTimestamp += tsAhead;
            }
            Packets++;
        }
    }
}
