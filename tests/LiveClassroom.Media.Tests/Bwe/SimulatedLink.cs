using LiveClassroom.Media.Bwe;

namespace LiveClassroom.Media.Tests.Bwe;

/// <summary>
/// A bottleneck for estimator tests: a FIFO drained at <see cref="CapacityBps"/>, a fixed propagation delay, and a loss
/// rule; optionally a token bucket in front (<see cref="BurstBytes"/> leave at line rate after an idle spell, as Linux
/// `tbf` lets them) and a queue limit (<see cref="MaxQueueUs"/>: a packet that would wait longer is lost). Packets are sent at given times; feedback batches come back every <see cref="FeedbackIntervalUs"/>, as
/// transport-cc feedback would. Deterministic (no clock, no randomness).
/// </summary>
internal sealed class SimulatedLink(double capacityBps, long propagationUs, Func<long, bool>? lose = null)
{
    public const long FeedbackIntervalUs = 100_000;
    private readonly List<PacketResult> _pending = [];
    private long _queueFreeAtUs;
    private long _sent;
    private long _nextFeedbackUs = FeedbackIntervalUs;
    private double _tokens;
    private long _tokensAtUs;

    public double CapacityBps { get; set; } = capacityBps;

    public int BurstBytes { get; set; }

    public long MaxQueueUs { get; set; } = long.MaxValue;

    public void Send(long sendUs, int size, int probeCluster = 0)
    {
        var index = _sent++;
        if (lose?.Invoke(index) == true)
        {
            _pending.Add(new PacketResult(sendUs, -1, size, probeCluster));
            return;
        }
        var start = Math.Max(sendUs, _queueFreeAtUs);
        long leaves;
        double tokensAfter = 0;
        if (BurstBytes > 0)
        {
            var tokens = Math.Min(BurstBytes, _tokens + ((start - _tokensAtUs) * CapacityBps / 8e6));
            leaves = tokens >= size ? start : start + (long)((size - tokens) * 8e6 / CapacityBps);
            tokensAfter = Math.Max(0, tokens - size);
        }
        else
        {
            leaves = start + (long)(size * 8 * 1e6 / CapacityBps);
        }
        if (leaves - sendUs > MaxQueueUs)
        {
            _pending.Add(new PacketResult(sendUs, -1, size, probeCluster));
            return;
        }
        _queueFreeAtUs = leaves;
        _tokens = tokensAfter;
        _tokensAtUs = leaves;
        _pending.Add(new PacketResult(sendUs, leaves + propagationUs, size, probeCluster));
    }

    /// <summary>Delivers feedback due by <paramref name="nowUs"/> (packets that arrived by then, and losses) to the estimator.</summary>
    public void Feedback(DownlinkEstimator estimator, long nowUs)
    {
        while (nowUs >= _nextFeedbackUs)
        {
            var due = _pending.Where(p => !p.Received ? p.SendUs + 50_000 <= _nextFeedbackUs : p.ArrivalUs <= _nextFeedbackUs)
                .OrderBy(p => p.SendUs).ToArray();
            foreach (var p in due)
            {
                _pending.Remove(p);
            }
            estimator.OnFeedback(due, _nextFeedbackUs / 1000.0, 100);
            _nextFeedbackUs += FeedbackIntervalUs;
        }
    }

    /// <summary>Sends media at <paramref name="rateBps"/> in 1,000-byte packets from <paramref name="fromUs"/> for <paramref name="durationUs"/>, feeding feedback as it goes; returns the end time.</summary>
    public long Run(DownlinkEstimator estimator, double rateBps, long fromUs, long durationUs, Action<long>? everyFeedback = null)
    {
        const int Size = 1000;
        var gapUs = (long)(Size * 8 * 1e6 / rateBps);
        var now = fromUs;
        for (; now < fromUs + durationUs; now += gapUs)
        {
            Send(now, Size);
            var before = _nextFeedbackUs;
            Feedback(estimator, now);
            if (_nextFeedbackUs != before)
            {
                everyFeedback?.Invoke(now);
            }
        }
        return now;
    }
}
