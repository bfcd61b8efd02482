using System.Buffers.Binary;
using System.Diagnostics;
using LiveClassroom.Media.Rtp;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// The synthetic lead teacher's media, shaped as the page's simulcast (simulcast.ts): VP8-shaped video in three layers
/// q/h/f at 30 fps (1 × 330 B, 2 × 940 B, 6 × 1040 B a frame: ≈ 80 / 450 / 1,500 kbps; rids in the RFC 8852 extension)
/// and Opus-sized audio at 50 pps. Each layer sends a keyframe every 2 s and, as a browser does, on the next frame after
/// a PLI or FIR for its SSRC (at most one per layer every 300 ms). The last 8 bytes of every payload carry the send time
/// (Stopwatch ticks; every process on the machine reads the same monotonic clock). States: sending → stopped.
/// </summary>
internal sealed class SimulcastTeacher : IDisposable
{
    private const uint FirstAudioSsrc = 0x7EAC_0001;
    public static readonly string[] Rids = ["q", "h", "f"];
    private const uint FirstVideoSsrc = 0x7EAC_0010;
    // Each fresh peer sends on SSRCs of its own, as a browser's new RTCPeerConnection does (the old peer may still be in the SFU's room).
    private const uint SsrcStep = 0x100;
    private static readonly (int Packets, int Size)[] Shape = [(1, 330), (2, 940), (6, 1040)];
    private static readonly long KeyframeMinGap = Stopwatch.Frequency * 3 / 10;

    private volatile SyntheticPeer _peer;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private readonly ushort[] _seq = [100, 20_000, 40_000];
    private readonly int[] _keyframeAsked = new int[3];
    private readonly long[] _lastKeyframe = new long[3];
    private ushort _audioSeq = 7;
    private long _audioSent;
    private long _packets;
    private long _keyframesOnRequest;
    private volatile uint _generation;

    public SimulcastTeacher(SyntheticPeer peer)
    {
        _peer = peer;
        peer.OnPlainRtcp = OnRtcp;
        _thread = new Thread(Run) { IsBackground = true, Name = "cascade-teacher" };
        _thread.Start();
    }

    /// <summary>
    /// Sends on <paramref name="peer"/> from the next packet (the teacher's page built a fresh peer connection after
    /// joining the class again); the caller disposes the old one. Sequence numbers and SSRCs carry on.
    /// </summary>
    public void Replace(SyntheticPeer peer, uint generation)
    {
        peer.OnPlainRtcp = OnRtcp;
        _generation = generation;
        _peer = peer;
        // A new peer starts every layer with a keyframe, as a browser's fresh encoder does.
        for (var layer = 0; layer < _keyframeAsked.Length; layer++)
        {
            Volatile.Write(ref _keyframeAsked[layer], 1);
        }
    }

    /// <summary>The audio SSRC of the peer of that generation (0: the first), which its offer announces.</summary>
    public static uint AudioSsrc(uint generation) => FirstAudioSsrc + generation * SsrcStep;

    /// <summary>Video bitrate of each layer, bits per second (payload bytes × packets × 30 fps).</summary>
    public static IReadOnlyList<double> LayerBps { get; } = [.. Shape.Select(s => s.Packets * s.Size * 8.0 * 30)];

    public long PacketsSent => Interlocked.Read(ref _packets);

    /// <summary>Keyframes sent because a PLI or FIR asked for one (the SFUs ask when a subscriber starts or switches).</summary>
    public long KeyframesOnRequest => Interlocked.Read(ref _keyframesOnRequest);

    private void Run()
    {
        var buffer = new byte[1600];
        var frame = 0;
        var clock = Stopwatch.StartNew();
        while (!_stop.IsSet)
        {
            for (var layer = 0; layer < Shape.Length; layer++)
            {
                var keyframe = frame % 60 == layer * 20 || Interlocked.Exchange(ref _keyframeAsked[layer], 0) == 1;
                var (packets, size) = Shape[layer];
                for (var k = 0; k < packets; k++)
                {
                    var length = WriteVideo(buffer, layer, k == 0, k == packets - 1, keyframe, size, frame);
                    _peer.SendRtp(buffer, length);
                    Interlocked.Increment(ref _packets);
                }
            }
            // Audio: 50 pps against 30 video frames a second.
            while (_audioSent < (frame + 1L) * 50 / 30)
            {
                var header = RtpHeaderWriter.WriteFixed(buffer, 111, false, _audioSeq++, (uint)(_audioSent * 960), AudioSsrc(_generation));
                _audioSent++;
                buffer.AsSpan(header, 100).Fill(0x55);
                Stamp(buffer, header + 100);
                _peer.SendRtp(buffer, header + 100);
                Interlocked.Increment(ref _packets);
            }
            frame++;
            var wait = TimeSpan.FromMilliseconds(frame * 1000.0 / 30) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                _stop.Wait(wait);
            }
        }
    }

    private int WriteVideo(byte[] buffer, int layer, bool first, bool last, bool keyframe, int size, int frame)
    {
        SimulcastVideo.Write(buffer, layer, _seq[layer]++, (uint)(frame * 3000), FirstVideoSsrc + _generation * SsrcStep + (uint)layer, first, last, keyframe, size);
        Stamp(buffer, size);
        return size;
    }

    private static void Stamp(Span<byte> packet, int end) =>
        BinaryPrimitives.WriteInt64LittleEndian(packet.Slice(end - 8, 8), Stopwatch.GetTimestamp());

    // RFC 4585 §6.3.1 (PLI, PSFB FMT 1) and RFC 5104 §4.3.1 (FIR, FMT 4): media SSRC at offset 8 (FIR: in the FCI at 12).
    private void OnRtcp(ReadOnlySpan<byte> compound)
    {
        while (compound.Length >= 12)
        {
            var fmt = compound[0] & 0x1F;
            var type = compound[1];
            var length = (BinaryPrimitives.ReadUInt16BigEndian(compound[2..]) + 1) * 4;
            if (length > compound.Length)
            {
                return;
            }
            if (type == 206 && (fmt == 1 || (fmt == 4 && length >= 16)))
            {
                var ssrc = BinaryPrimitives.ReadUInt32BigEndian(compound[(fmt == 1 ? 8 : 12)..]);
                var layer = (int)(ssrc - FirstVideoSsrc - _generation * SsrcStep);
                var now = Stopwatch.GetTimestamp();
                if (layer is >= 0 and < 3 && now - Volatile.Read(ref _lastKeyframe[layer]) >= KeyframeMinGap)
                {
                    Volatile.Write(ref _lastKeyframe[layer], now);
                    Volatile.Write(ref _keyframeAsked[layer], 1);
                    Interlocked.Increment(ref _keyframesOnRequest);
                }
            }
            compound = compound[length..];
        }
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join(2000);
        _stop.Dispose();
    }
}
