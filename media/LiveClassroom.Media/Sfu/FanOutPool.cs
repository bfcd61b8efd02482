using System.Collections.Concurrent;

namespace LiveClassroom.Media.Sfu;

/// <summary>One packet's (or one burst's) fan-out cut into chunks (ranges of a track's listeners); any thread may run any chunk once.</summary>
internal interface IFanOutJob
{
    void RunChunk(int chunk);
}

/// <summary>
/// Helper threads ("lanes") that split one packet's (or one burst's) fan-out to a large room with the worker that received it: the
/// worker publishes the job, wakes the lanes, claims chunks itself and returns once every chunk ran, so the fan-out
/// still happens inside the room's lock and the order of packets to each subscriber is unchanged. Lanes that wake late
/// find nothing left to claim and cost the worker no wait. One job at a time for the whole node: a second room asking
/// meanwhile runs its fan-out inline (small rooms never ask). Not allocating per job.
/// States: running → disposed (lanes exit).
/// </summary>
internal sealed class FanOutPool : IDisposable
{
    private readonly Thread[] _lanes;
    private readonly ManualResetEventSlim[] _wake;
    private readonly long[] _laneAllocated;
    private readonly ConcurrentDictionary<int, byte> _threadIds = new();
    private IFanOutJob? _job;
    private int _done;
    private int _open;
    private int _inside;
    private int _busy;
    private long _jobs;
    private long _chunksOnLanes;
    private long _chunksRun;
    private long _packets;
    private int _callerSocket;
    private long _splitTicks;
    private long _waitTicks;
    private long _wakes;
    private long _idleWakes;
    private volatile bool _stopping;

    public FanOutPool(int lanes)
    {
        _lanes = new Thread[Math.Max(0, lanes)];
        _wake = new ManualResetEventSlim[_lanes.Length];
        _laneAllocated = new long[_lanes.Length];
        for (var i = 0; i < _lanes.Length; i++)
        {
            var lane = i;
            _wake[i] = new ManualResetEventSlim(false, spinCount: 200);
            _lanes[i] = new Thread(() => LaneLoop(lane))
            {
                IsBackground = true,
                Name = "media-fanout-" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Priority = ThreadPriority.AboveNormal,
            };
            _lanes[i].Start();
        }
    }

    public int Lanes => _lanes.Length;

    /// <summary>Fan-outs that were split (diagnostics).</summary>
    public long Jobs => Interlocked.Read(ref _jobs);

    /// <summary>Packets whose fan-out was split (a job may carry a burst of several).</summary>
    public long Packets => Interlocked.Read(ref _packets);

    /// <summary>Chunks the lanes ran (the rest ran on the workers that received the packets).</summary>
    public long ChunksOnLanes => Interlocked.Read(ref _chunksOnLanes);

    /// <summary>Chunks of all split fan-outs.</summary>
    public long Chunks => Interlocked.Read(ref _chunksRun);

    /// <summary>
    /// Where a split costs the worker (diagnostics and the benchmark): Stopwatch ticks from publishing jobs to their
    /// last chunk, ticks of that spent waiting for lanes after the worker's own chunks; lane wake-ups, and those that
    /// found every chunk already claimed.
    /// </summary>
    public (long SplitTicks, long WaitTicks, long Wakes, long IdleWakes) Timing =>
        (Interlocked.Read(ref _splitTicks), Interlocked.Read(ref _waitTicks), Interlocked.Read(ref _wakes), Interlocked.Read(ref _idleWakes));

    /// <summary>CPU time the lanes have used (Linux; zero elsewhere).</summary>
    public TimeSpan Cpu => Diagnostics.ThreadCpu.Of(_threadIds.Keys);

    /// <summary>Kernel thread ids of the lanes (benchmarks read each one's CPU).</summary>
    public ICollection<int> ThreadIds => _threadIds.Keys;

    /// <summary>Bytes the lanes have allocated (benchmarks: the packet path should allocate nothing).</summary>
    public long AllocatedBytes
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _laneAllocated.Length; i++)
            {
                sum += Interlocked.Read(ref _laneAllocated[i]);
            }
            return sum;
        }
    }

    /// <summary>
    /// Runs chunks 0…<paramref name="chunks"/>−1 of the job on this thread and the lanes; returns when all ran. False
    /// (nothing ran) when there are no lanes or another fan-out holds them: the caller then runs the job itself.
    /// <paramref name="packets"/>: how many packets' fan-outs the job carries (counted only).
    /// </summary>
    public bool TryRun(IFanOutJob job, int chunks, int packets = 1)
    {
        if (_lanes.Length == 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _callerSocket = Transport.UdpTransport.SendSocket;
        _job = job;
        Volatile.Write(ref _range, (long)chunks << 32);
        _done = 0;
        Interlocked.Exchange(ref _open, 1);
        var wake = Math.Min(_lanes.Length, chunks - 1);
        for (var i = 0; i < wake; i++)
        {
            _wake[i].Set();
        }
        RunChunks(job, onLane: false);
        var ownDone = System.Diagnostics.Stopwatch.GetTimestamp();
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _done) < chunks)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        // Dekker with the lanes' entry: after this, a lane that enters sees the job closed; one inside finishes first.
        Interlocked.Exchange(ref _open, 0);
        spinner.Reset();
        while (Volatile.Read(ref _inside) != 0)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        _job = null;
        var finished = System.Diagnostics.Stopwatch.GetTimestamp();
        _splitTicks += finished - started;
        _waitTicks += finished - ownDone;
        Interlocked.Increment(ref _jobs);
        Interlocked.Add(ref _chunksRun, chunks);
        Interlocked.Add(ref _packets, packets);
        Volatile.Write(ref _busy, 0);
        return true;
    }

    // The worker claims chunks from the front, the lanes from the back: the same subscribers mostly stay on the same
    // core from one packet to the next (their SRTP contexts, slots and rewriters stay in that core's cache), and only
    // the chunks where the two ends meet move. _range holds the next front chunk (low 32 bits) and one past the next
    // back chunk (high 32 bits).
    private long _range;

    private int Claim(bool fromBack)
    {
        while (true)
        {
            var range = Volatile.Read(ref _range);
            var front = (int)(range & 0xFFFF_FFFF);
            var back = (int)(range >> 32);
            if (front >= back)
            {
                return -1;
            }
            var next = fromBack ? ((long)(back - 1) << 32) | (uint)front : ((long)back << 32) | (uint)(front + 1);
            if (Interlocked.CompareExchange(ref _range, next, range) == range)
            {
                return fromBack ? back - 1 : front;
            }
        }
    }

    private int RunChunks(IFanOutJob job, bool onLane)
    {
        var ran = 0;
        int chunk;
        while ((chunk = Claim(fromBack: onLane)) >= 0)
        {
            try
            {
                job.RunChunk(chunk);
            }
#pragma warning disable CA1031 // A bug in one subscriber's path must not stop a lane or leave the worker waiting.
            catch (Exception)
#pragma warning restore CA1031
            {
                SfuMetrics.DroppedByPeer();
            }
            if (onLane)
            {
                Interlocked.Increment(ref _chunksOnLanes);
            }
            Interlocked.Increment(ref _done);
            ran++;
        }
        return ran;
    }

    private void LaneLoop(int lane)
    {
        if (Diagnostics.ThreadCpu.CurrentThreadId() is { } tid)
        {
            _threadIds[tid] = 0;
        }
        var wake = _wake[lane];
        while (true)
        {
            wake.Wait();
            if (_stopping)
            {
                return;
            }
            wake.Reset();
            Interlocked.Increment(ref _inside);
            var ran = 0;
            if (Volatile.Read(ref _open) == 1 && Volatile.Read(ref _job) is { } job)
            {
                // Each lane sends from another socket of the group than the worker it helps (UdpTransport.Workers.cs).
                Transport.UdpTransport.UseSendSocket(Volatile.Read(ref _callerSocket) + lane + 1);
                ran = RunChunks(job, onLane: true);
            }
            Interlocked.Increment(ref _wakes);
            if (ran == 0)
            {
                Interlocked.Increment(ref _idleWakes);
            }
            Interlocked.Decrement(ref _inside);
            Volatile.Write(ref _laneAllocated[lane], GC.GetAllocatedBytesForCurrentThread());
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var wake in _wake)
        {
            wake.Set();
        }
        foreach (var lane in _lanes)
        {
            lane.Join(TimeSpan.FromSeconds(2));
        }
        foreach (var wake in _wake)
        {
            wake.Dispose();
        }
    }
}
