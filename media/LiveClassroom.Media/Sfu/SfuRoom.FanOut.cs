using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Sfu;

// A large room's fan-out split over the node's workers (FanOutPool). Everything else a packet does (decrypt, route,
// cache, taps) stays on the worker that received it; only the per-subscriber part (rewrite, SRTP protect, send) is
// split, as ranges of the track's listeners. The room lock is held by that worker throughout, so nothing else in the
// room changes meanwhile and each subscriber still gets the room's packets in order; what two lanes could share within
// one packet is guarded: a subscriber (SendLock: two of its slots may listen to one track) and a track's listener list
// (a slot finishing a switch leaves its old track's list).
internal sealed partial class SfuRoom
{
    /// <summary>Listeners per chunk at least: smaller chunks cost more hand-offs than they balance.</summary>
    private const int MinChunk = 8;

    // Scratch for one outgoing packet per thread (workers and lanes forward at once): header + payload + SRTP overhead.
    [ThreadStatic]
    private static byte[]? t_scratch;

    private static byte[] Scratch => t_scratch ??= new byte[PacketCache.MaxPacketSize + 64];

    private FanOutJob? _fanOutJob;

    /// <summary>The node's lanes for splitting large fan-outs, or null to forward every packet on its worker alone.</summary>
    internal FanOutPool? FanOut { get; set; }

    /// <summary>Forwards to the track's listeners over the lanes; false if it did not (too few, no lanes, lanes busy).</summary>
    private bool TryForwardInParallel(IncomingStream stream, in RtpHeader header, ReadOnlySpan<byte> payload, bool keyframeStart, bool recovered,
        long now, bool isRed)
    {
        var listeners = stream.Track.Listeners;
        if (FanOut is not { Lanes: > 0 } pool || listeners.Count < Math.Max(2, _options.ParallelFanOutMinimum))
        {
            return false;
        }
        var job = _fanOutJob ??= new FanOutJob(this);
        var chunk = Math.Max(MinChunk, listeners.Count / ((pool.Lanes + 1) * 4));
        job.Set(stream, header, payload, keyframeStart, recovered, now, isRed, chunk);
        var ran = pool.TryRun(job, (listeners.Count + chunk - 1) / chunk);
        job.Clear();
        return ran;
    }

    /// <summary>One packet's fan-out, reused for every packet of the room (the room lock guards it).</summary>
    private sealed class FanOutJob(SfuRoom room) : IFanOutJob
    {
        private readonly byte[] _payload = new byte[PacketCache.MaxPacketSize];
        private IncomingStream? _stream;
        private RtpHeader _header;
        private int _payloadLength;
        private bool _keyframeStart;
        private bool _recovered;
        private long _now;
        private bool _isRed;
        private int _chunk;

        public void Set(IncomingStream stream, in RtpHeader header, ReadOnlySpan<byte> payload, bool keyframeStart, bool recovered, long now,
            bool isRed, int chunk)
        {
            // The payload lives in the worker's receive buffer; a copy keeps the job a plain object the lanes can read.
            payload.CopyTo(_payload);
            _payloadLength = payload.Length;
            _stream = stream;
            _header = header;
            _keyframeStart = keyframeStart;
            _recovered = recovered;
            _now = now;
            _isRed = isRed;
            _chunk = chunk;
        }

        public void Clear() => _stream = null;

        public void RunChunk(int chunk)
        {
            var stream = _stream!;
            var listeners = stream.Track.Listeners;
            var end = Math.Min(listeners.Count, (chunk + 1) * _chunk);
            var payload = _payload.AsSpan(0, _payloadLength);
            for (var i = chunk * _chunk; i < end; i++)
            {
                var slot = listeners[i];
                lock (slot.Subscriber.SendLock)
                {
                    room.ForwardToSlot(slot, stream, _header, payload, _keyframeStart, _recovered, _now, _isRed);
                }
            }
        }
    }
}
