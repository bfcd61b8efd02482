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
    private long _sent;
    private long _nextFeedbackUs = FeedbackIntervalUs;
    private readonly BottleneckQueue _queue = new(capacityBps, long.MaxValue);

    public double CapacityBps { get => _queue.CapacityBps; set => _queue.CapacityBps = value; }

    public int BurstBytes { get => _queue.BurstBytes; set => _queue.BurstBytes = value; }

    public long MaxQueueUs { get => _queue.MaxQueueUs; set => _queue.MaxQueueUs = value; }

    /// <summary>Whether the next feedback batch is lost on the way back (its packets are then never reported, as with Chrome's).</summary>
    public Func<bool>? LoseFeedback { get; set; }

    /// <summary>The round trip the estimator is told with each feedback batch (ms).</summary>
    public double RoundTripMs { get; set; } = 100;

    public void Send(long sendUs, int size, int probeCluster = 0)
    {
        var index = _sent++;
        if (lose?.Invoke(index) == true)
        {
            _pending.Add(new PacketResult(sendUs, -1, size, probeCluster));
            return;
        }
        var offer = _queue.Offer(sendUs, size);
        if (!offer.Fits)
        {
            _pending.Add(new PacketResult(sendUs, -1, size, probeCluster));
            return;
        }
        _queue.Admit(offer);
        _pending.Add(new PacketResult(sendUs, offer.LeavesUs + propagationUs, size, probeCluster));
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
            if (LoseFeedback?.Invoke() != true)
            {
                estimator.OnFeedback(due, _nextFeedbackUs / 1000.0, RoundTripMs);
            }
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
