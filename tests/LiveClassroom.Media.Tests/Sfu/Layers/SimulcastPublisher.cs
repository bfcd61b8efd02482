using LiveClassroom.LoadTests;
using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Tests.Sfu.Layers;

/// <summary>
/// A synthetic simulcast publisher (RFC 8853, rids q/h/f carried in the RFC 8852 extension) sending at real rate on its
/// own thread: 30 frames per second per layer (1 × 600 B, 2 × 950 B, 5 × 1000 B: ~150 kbps / ~460 kbps / ~1.2 Mbps),
/// a keyframe on every layer each half second, and an Opus-sized audio packet per frame. Byte 5 of each video payload
/// names the layer.
/// </summary>
internal sealed class SimulcastPublisher : IDisposable
{
    public const uint AudioSsrc = 0x5500_0001;
    public static readonly string[] Rids = ["q", "h", "f"];
    private static readonly (int Packets, int Size)[] Shape = [(1, 600), (2, 950), (5, 1000)];
    private readonly SyntheticPeer _peer;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private readonly ushort[] _seq = [100, 20_000, 40_000];
    private ushort _audioSeq = 7;

    /// <summary>The highest layer sent (0–2): lower it to stop the layers above, as Chrome does when its uplink narrows.</summary>
    public int TopLayer { get; set; } = 2;

    public SimulcastPublisher(SyntheticPeer peer)
    {
        _peer = peer;
        _thread = new Thread(Run) { IsBackground = true, Name = "simulcast-publisher" };
        _thread.Start();
    }

    private void Run()
    {
        var buffer = new byte[1600];
        var frame = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!_stop.IsSet)
        {
            var keyframe = frame % 15 == 0;
            var top = TopLayer;
            for (var layer = 0; layer <= top; layer++)
            {
                var (packets, size) = Shape[layer];
                for (var k = 0; k < packets; k++)
                {
                    var length = WriteVideo(buffer, layer, k == 0, k == packets - 1, keyframe, size, frame);
                    _peer.SendRtp(buffer, length);
                }
            }
            var header = RtpHeaderWriter.WriteFixed(buffer, 111, false, _audioSeq++, (uint)(frame * 1600), AudioSsrc);
            buffer.AsSpan(header, 80).Fill(0x55);
            _peer.SendRtp(buffer, header + 80);
            frame++;
            // Real rate: wait for the next frame's time (a wait handle with a timeout, so Dispose ends it at once).
            var due = TimeSpan.FromMilliseconds(frame * 1000.0 / 30);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                _stop.Wait(wait);
            }
        }
    }

    private int WriteVideo(byte[] buffer, int layer, bool first, bool last, bool keyframe, int size, int frame)
    {
        var length = SimulcastVideo.Write(buffer, layer, _seq[layer]++, (uint)(frame * 3000), 0x5500_0010u + (uint)layer, first, last, keyframe, size,
            out var payloadOffset);
        buffer[payloadOffset + 5] = (byte)layer;
        return length;
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join(2000);
        _stop.Dispose();
    }
}
