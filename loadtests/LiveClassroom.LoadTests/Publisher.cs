using System.Buffers.Binary;
using System.Diagnostics;
using LiveClassroom.Media.Rtp;

namespace LiveClassroom.LoadTests;

/// <summary>
/// Paces one publisher: VP8-shaped video at the given bitrate and frame rate (30 fps unless changed; a keyframe every 60
/// frames) and 50 pps Opus-sized audio. The rate may change between runs; the numbering goes on (one SRTP stream).
/// </summary>
internal sealed class Publisher
{
    public const uint AudioSsrc = 0x1111_0001;
    public const uint VideoSsrc = 0x1111_0002;
    public const uint RtxSsrc = 0x1111_0003;
    private const int VideoPayload = 1000;
    private const int AudioPayload = 80;

    private readonly SyntheticPeer _peer;
    private long _videoBps;
    private int _framesPerSecond = 30;
    private readonly byte[] _buffer = new byte[1600];
    private ushort _videoSeq;
    private ushort _audioSeq;
    private uint _videoTs = 90_000;
    private uint _audioTs = 48_000;
    private long _frames;

    /// <param name="startSeq">First sequence number of both streams: near 65,535 the publisher's numbering wraps at once.</param>
    public Publisher(SyntheticPeer peer, long videoBps, ushort startSeq = 1)
    {
        _peer = peer;
        _videoBps = videoBps;
        _videoSeq = startSeq;
        _audioSeq = startSeq;
    }

    /// <summary>Video packets per second at this bitrate (whole packets per frame).</summary>
    public int VideoPacketsPerSecond => _framesPerSecond * PacketsPerFrame;

    private int PacketsPerFrame => (int)Math.Max(1, Math.Ceiling(_videoBps / 8.0 / _framesPerSecond / VideoPayload));

    /// <summary>Changes the video rate for the next <see cref="Run"/> (not while one runs).</summary>
    public void SetRate(long videoBps, int framesPerSecond)
    {
        _videoBps = videoBps;
        _framesPerSecond = Math.Clamp(framesPerSecond, 1, 1000);
    }

    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    public long VideoPacketsSent => Interlocked.Read(ref _videoPacketsSent);

    private long _packetsSent;
    private long _videoPacketsSent;

    public long AllocatedBytes => Interlocked.Read(ref _allocated);

    private long _allocated;

    public void Run(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var frameInterval = TimeSpan.FromSeconds(1.0 / _framesPerSecond);
        var audioInterval = TimeSpan.FromMilliseconds(20);
        var nextFrame = TimeSpan.Zero;
        var nextAudio = TimeSpan.Zero;
        var packetsPerFrame = PacketsPerFrame;
        while (!stop.IsCancellationRequested)
        {
            Interlocked.Exchange(ref _allocated, GC.GetAllocatedBytesForCurrentThread());
            var now = clock.Elapsed;
            if (now >= nextAudio)
            {
                SendAudio();
                nextAudio += audioInterval;
            }
            if (now >= nextFrame)
            {
                SendFrame(packetsPerFrame);
                nextFrame += frameInterval;
            }
            // Sleep to the next due time, never spin: at the capacity rounds' 250 frames/s, spinning the last
            // millisecond of each 4 ms interval cost the load generator 0.11-0.17 of a core (measured: CPU line of
            // the workers benchmark). The schedule is absolute, so waking late never slows the rate; it adds no
            // latency to the figures either (each packet is stamped when it is sent).
            var wait = (nextAudio < nextFrame ? nextAudio : nextFrame) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(Math.Max(1, (int)Math.Ceiling(wait.TotalMilliseconds)));
            }
        }
    }

    private void SendAudio()
    {
        var span = _buffer.AsSpan();
        var header = RtpHeaderWriter.WriteFixed(span, 111, false, _audioSeq++, _audioTs, AudioSsrc);
        _audioTs += 960;
        span.Slice(header, AudioPayload).Fill(0x42);
        Stamp(span, header + AudioPayload);
        _peer.SendRtp(span, header + AudioPayload);
        Interlocked.Increment(ref _packetsSent);
    }

    // RFC 7741 §4.2: descriptor byte S=1/PID=0 on the first packet; VP8 header P bit 0 marks the keyframe.
    private void SendFrame(int packets)
    {
        var keyframe = _frames % 60 == 0;
        _frames++;
        for (var i = 0; i < packets; i++)
        {
            var span = _buffer.AsSpan();
            var header = RtpHeaderWriter.WriteFixed(span, 96, i == packets - 1, _videoSeq++, _videoTs, VideoSsrc);
            var payload = span.Slice(header, VideoPayload);
            payload.Fill(0x5A);
            payload[0] = (byte)(i == 0 ? 0x10 : 0x00);
            payload[1] = (byte)(keyframe ? 0x00 : 0x01);
            Stamp(span, header + VideoPayload);
            _peer.SendRtp(span, header + VideoPayload);
            Interlocked.Increment(ref _packetsSent);
            Interlocked.Increment(ref _videoPacketsSent);
        }
        _videoTs += 3000;
    }

    private static void Stamp(Span<byte> packet, int end) =>
        BinaryPrimitives.WriteInt64LittleEndian(packet.Slice(end - 8, 8), Stopwatch.GetTimestamp());
}
