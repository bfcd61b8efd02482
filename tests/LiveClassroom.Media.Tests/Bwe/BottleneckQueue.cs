namespace LiveClassroom.Media.Tests.Bwe;

/// <summary>
/// The queue of an emulated bottleneck: a FIFO drained at <see cref="CapacityBps"/>, optionally behind a token bucket
/// (<see cref="BurstBytes"/>: up to that many bytes leave at line rate after the link was idle, as Linux `tbf` lets
/// them), with a limit (<see cref="MaxQueueUs"/>: a packet that would wait longer does not fit). Times in µs; plain
/// state for one thread. Offering a packet changes nothing; <see cref="Admit"/> puts it in.
/// </summary>
internal sealed class BottleneckQueue(double capacityBps, long maxQueueUs)
{
    private long _freeAtUs;
    private double _tokens;
    private long _tokensAtUs;

    public double CapacityBps { get; set; } = capacityBps;

    /// <summary>The token bucket's size (0: none, a plain FIFO drained at <see cref="CapacityBps"/>).</summary>
    public int BurstBytes { get; set; }

    public long MaxQueueUs { get; set; } = maxQueueUs;

    /// <summary>When a packet of <paramref name="bytes"/> offered at <paramref name="nowUs"/> would leave, and whether the queue holds it.</summary>
    public (long LeavesUs, bool Fits, double TokensAfter) Offer(long nowUs, int bytes)
    {
        var start = Math.Max(nowUs, _freeAtUs);
        long leaves;
        double tokensAfter = 0;
        if (BurstBytes > 0)
        {
            // Tokens accrue at the capacity up to the burst; a packet with tokens enough leaves at once (line rate).
            var tokens = Math.Min(BurstBytes, _tokens + ((start - _tokensAtUs) * CapacityBps / 8e6));
            leaves = tokens >= bytes ? start : start + (long)((bytes - tokens) * 8e6 / CapacityBps);
            tokensAfter = Math.Max(0, tokens - bytes);
        }
        else
        {
            leaves = start + (long)(bytes * 8 * 1e6 / CapacityBps);
        }
        return (leaves, leaves - nowUs <= MaxQueueUs, tokensAfter);
    }

    /// <summary>The offered packet enters the queue (it occupies it until it leaves).</summary>
    public void Admit((long LeavesUs, bool Fits, double TokensAfter) offer)
    {
        _freeAtUs = offer.LeavesUs;
        _tokens = offer.TokensAfter;
        _tokensAtUs = offer.LeavesUs;
    }
}
