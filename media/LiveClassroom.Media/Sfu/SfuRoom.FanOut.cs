using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Sfu;

// A large room's fan-out split over the node's workers (FanOutPool). Everything else a packet does (decrypt, route,
// cache, taps) stays on the worker that received it; only the per-subscriber part (rewrite, SRTP protect, send) is
// split, as ranges of the track's listeners. The room lock is held by that worker throughout, so nothing else in the
// room changes meanwhile and each subscriber still gets the room's packets in order; what two lanes could share within
// one job is guarded: a subscriber (SendLock: two of its slots may listen to one track) and a track's listener list
// (a slot finishing a switch leaves its old track's list, never the list of the track being fanned out).
//
// Batches (issue #17): each split costs the worker a wake-up of the lanes and a wait for the last chunk, paid per
// packet it was ~15-20 % of the packet path. A burst of one publisher's packets (OnRtpBatch: what its socket already
// held) is therefore deferred while the worker decrypts and caches the next ones, and fanned out in ONE split whose
// chunks each forward every deferred packet, in order, to their range of listeners. Only packets of one track are
// deferred together (their listener list is the one the chunks cut; nothing in the job changes it); anything that
// forwards inline, learns a stream, or ends the burst flushes first, so each subscriber still gets the packets in the
// order they arrived and nothing leaves the room lock.
internal sealed partial class SfuRoom
{
    /// <summary>Listeners per chunk at least: smaller chunks cost more hand-offs than they balance.</summary>
    private const int MinChunk = 8;

    /// <summary>Packets deferred into one split at most (one subscriber's send queue holds as many).</summary>
    internal const int MaxDeferred = Transport.DatagramSendQueue.Capacity;

    // Scratch for one outgoing packet per thread (workers and lanes forward at once): header + payload + SRTP overhead.
    [ThreadStatic]
    private static byte[]? t_scratch;

    private static byte[] Scratch => t_scratch ??= new byte[PacketCache.MaxPacketSize + 64];

    // Per thread as well: the packets of one burst for one subscriber, sent in one go (sendmmsg, UdpTransport.SendMany.cs).
    [ThreadStatic]
    private static Transport.DatagramSendQueue? t_sendQueue;

    private static Transport.DatagramSendQueue SendQueue => t_sendQueue ??= new Transport.DatagramSendQueue();

    private FanOutJob? _fanOutJob;

    /// <summary>The node's lanes for splitting large fan-outs, or null to forward every packet on its worker alone.</summary>
    internal FanOutPool? FanOut { get; set; }

    /// <summary>Splits (or, lanes busy, runs inline) the deferred fan-outs; under the room lock, before it is released.</summary>
    private void FlushFanOut()
    {
        if (_fanOutJob is not { Count: > 0 } job)
        {
            return;
        }
        var listeners = job.Track!.Listeners.Count;
        var pool = FanOut;
        if (pool is not { Lanes: > 0 })
        {
            // One worker: the burst is not split, but each subscriber still gets its packets in one send (RunChunk).
            job.Chunk = Math.Max(1, listeners);
            try
            {
                job.RunChunk(0);
            }
            finally
            {
                job.Clear();
            }
            return;
        }
        var chunk = Math.Max(MinChunk, listeners / ((pool.Lanes + 1) * Math.Max(1, _options.FanOutChunksPerThread)));
        var chunks = (listeners + chunk - 1) / chunk;
        job.Chunk = chunk;
        try
        {
            if (!pool.TryRun(job, chunks, job.Count))
            {
                for (var c = 0; c < chunks; c++)
                {
                    job.RunChunk(c);
                }
            }
        }
        finally
        {
            job.Clear();
        }
    }

    /// <summary>
    /// Defers the packet's fan-out to the track's listeners for a split; false if it must be forwarded inline (too few
    /// listeners, no lanes). A packet of another track than those deferred, or one past the limit, flushes them first.
    /// </summary>
    private bool TryDeferFanOut(IncomingStream stream, in RtpHeader header, ReadOnlySpan<byte> payload, bool keyframeStart, bool recovered,
        long now, bool isRed)
    {
        var listeners = stream.Track.Listeners;
        if (listeners.Count < Math.Max(2, _options.ParallelFanOutMinimum) || payload.Length > PacketCache.MaxPacketSize
            || (FanOut is not { Lanes: > 0 } && !_options.BatchedSends))
        {
            return false;
        }
        var job = _fanOutJob ??= new FanOutJob(this);
        if (job.Count > 0 && (job.Track != stream.Track || job.Count == MaxDeferred))
        {
            FlushFanOut();
        }
        job.Add(stream, header, payload, keyframeStart, recovered, now, isRed);
        return true;
    }

    /// <summary>The deferred fan-outs of one track, reused for every split of the room (the room lock guards it).</summary>
    private sealed class FanOutJob(SfuRoom room) : IFanOutJob
    {
        // The payloads live in the worker's receive buffers, which the next receive overwrites: copies keep the job a
        // plain object the lanes can read after the worker moved on to the next packet of the burst.
        private readonly byte[] _payloads = new byte[MaxDeferred * PacketCache.MaxPacketSize];
        private readonly Deferred[] _deferred = new Deferred[MaxDeferred];

        public int Count { get; private set; }

        public PublishedTrack? Track { get; private set; }

        /// <summary>Listeners per chunk of the current split.</summary>
        public int Chunk { get; set; }

        public void Add(IncomingStream stream, in RtpHeader header, ReadOnlySpan<byte> payload, bool keyframeStart, bool recovered, long now,
            bool isRed)
        {
            payload.CopyTo(_payloads.AsSpan(Count * PacketCache.MaxPacketSize));
            _deferred[Count] = new Deferred(stream, header, payload.Length, keyframeStart, recovered, now, isRed);
            Track = stream.Track;
            Count++;
        }

        public void Clear()
        {
            Array.Clear(_deferred, 0, Count);
            Count = 0;
            Track = null;
        }

        public void RunChunk(int chunk)
        {
            var listeners = Track!.Listeners;
            var end = Math.Min(listeners.Count, (chunk + 1) * Chunk);
            // This thread's queue, emptied by each listener's send: looked up once per chunk, not per listener, and
            // emptied here too, so nothing a failed earlier chunk left in it can reach another subscriber.
            var queue = room._options.BatchedSends ? SendQueue : null;
            queue?.Clear();
            for (var i = chunk * Chunk; i < end; i++)
            {
                var slot = listeners[i];
                // Each listener takes every deferred packet in turn: its order is the order they arrived in, and they
                // leave in one send (sendmmsg) where the transport can.
                lock (slot.Subscriber.SendLock)
                {
                    for (var p = 0; p < Count; p++)
                    {
                        ref readonly var d = ref _deferred[p];
                        var payload = _payloads.AsSpan(p * PacketCache.MaxPacketSize, d.PayloadLength);
                        room.ForwardToSlot(slot, d.Stream, d.Header, payload, d.KeyframeStart, d.Recovered, d.Now, d.IsRed, queue);
                    }
                    if (queue is not null)
                    {
                        slot.Subscriber.SendQueued(queue);
                    }
                }
            }
        }

        private readonly record struct Deferred(IncomingStream Stream, RtpHeader Header, int PayloadLength, bool KeyframeStart, bool Recovered,
            long Now, bool IsRed);
    }
}
