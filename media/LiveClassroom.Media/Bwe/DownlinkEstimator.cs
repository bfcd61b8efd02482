// draft-ietf-rmcat-gcc-02 §4 (sender-side variant: the SFU sends, the subscriber's transport-wide feedback —
// draft-holmer-rmcat-transport-wide-cc-extensions-01 — tells it when each packet arrived): the estimate is
// min(A_delay §5, As §6). A receiver that sends only REMB (§4, receiver-side variant) has its REMB taken as A_delay.
namespace LiveClassroom.Media.Bwe;

/// <summary>
/// One subscriber's downlink estimate. Fed with feedback batches (packets in send order), REMB values and probe results.
/// Not thread-safe (the room's lock guards it); no allocation after construction.
/// </summary>
internal sealed class DownlinkEstimator
{
    private const int RateWindowSize = 512;
    private const double RateWindowMs = 500;
    private readonly InterArrival _interArrival = new();
    private readonly TrendlineDetector _detector = new();
    private readonly AimdRateControl _delay;
    private readonly LossBasedControl _loss;
    private readonly double _minBps;
    private readonly double _maxBps;
    // Arrivals (ms) and sizes of the latest acknowledged packets, for R_hat.
    private readonly double[] _ackMs = new double[RateWindowSize];
    private readonly int[] _ackBytes = new int[RateWindowSize];
    private int _ackNext;
    private int _ackCount;
    private int _probeCluster;
    private long _probeFirstSendUs, _probeLastSendUs, _probeFirstArrivalUs, _probeLastArrivalUs, _probeBytes, _probeLastSize;
    private int _probePackets;
    private double _probeTargetBps;
    private int _probeLost;
    private bool _probeValidates;
    private double _probeLossBefore;
    private bool _probeOverused;
    // A validating probe's starting point (0: none running): its refusal restores both sides to at least these.
    private double _delayBeforeProbe, _lossBeforeProbe;
    // After a refused probe, until this feedback time (ms) an over-use cut goes no lower than the estimate before it.
    private double _aftermathUntilMs = double.NaN;
    private double _lastFeedbackMs;
    // Packets sent before this time (µs, send clock) went into a link that was down (OnOutageEnded): their loss is not counted.
    private long _outageSentBeforeUs = long.MinValue;

    /// <summary>
    /// How long after a refused validating probe's result an over-use still counts as the probe's doing, and cuts the
    /// delay-based rate no lower than it stood before the probe: the probe emptied a rate limiter's bucket, and until the
    /// bucket has refilled (16 KB at the 150 kbit/s a 300 kbit/s link has spare beside `q` and the audio: 0.9 s) each
    /// keyframe queues behind it, which the delay trend reads as over-use at 0.85 × the media's rate — below the lowest
    /// layer once the audio is taken off.
    /// </summary>
    public const double ProbeAftermathMs = 2000;
    // One-way delay (arrival − send, µs) of the probe's packets: the least over the whole probe, and the last few.
    private long _probeMinDelayUs;
    private readonly long[] _probeTailDelayUs = new long[ProbeTail];
    private int _probeTailNext;
    private const int ProbeTail = 8;

    public DownlinkEstimator(double initialBps, double minBps, double maxBps)
    {
        _minBps = minBps;
        _maxBps = maxBps;
        _delay = new AimdRateControl(initialBps, minBps, maxBps);
        _loss = new LossBasedControl(initialBps, minBps, maxBps);
    }

    public long EstimateBps => (long)Math.Min(_delay.EstimateBps, _loss.EstimateBps);

    public long DelayBasedBps => (long)_delay.EstimateBps;

    public long LossBasedBps => (long)_loss.EstimateBps;

    /// <summary>The loss-based rate sits at its delay-based cap rather than where loss put it (<see cref="LossBasedControl.HeldByDelay"/>).</summary>
    public bool LossBasedHeldByDelay => _loss.HeldByDelay;

    public BandwidthUsage Usage => _detector.State;

    /// <summary>Times over-use cut the delay-based rate (tracing).</summary>
    public int DelayCuts => _delay.Cuts;

    /// <summary>Times loss above 10 % cut the loss-based rate (tracing).</summary>
    public int LossCuts => _loss.Cuts;

    public double LossFraction => _loss.LossFraction;

    /// <summary>R_hat: what the subscriber received over the last half second of arrivals, in bits per second.</summary>
    public long ReceivedBps { get; private set; }

    /// <summary>The rate the last completed probe cluster got through (0: none yet).</summary>
    public long LastProbeBps { get; private set; }

    /// <summary>Time of the first feedback or REMB (ms), NaN before.</summary>
    private double _firstMs = double.NaN;

    /// <summary>
    /// The estimate means something: congestion was seen (over-use or heavy loss), or feedback has flowed for
    /// <see cref="InitializationMs"/> — then the estimate starts from at least what got through (as libwebrtc's
    /// AimdRateControl initialises from the acknowledged throughput). Before that it is only the starting guess.
    /// </summary>
    public bool IsInitialized { get; private set; }

    public const double InitializationMs = 5000;

    /// <summary>Transport-wide feedback arrived at least once: REMB values are then ignored.</summary>
    public bool HasTransportFeedback { get; private set; }

    /// <summary>One feedback packet's results, in transport-sequence (send) order.</summary>
    public void OnFeedback(ReadOnlySpan<PacketResult> packets, double nowMs, double rttMs)
    {
        if (packets.IsEmpty)
        {
            return;
        }
        HasTransportFeedback = true;
        var received = 0;
        var lost = 0;
        var found = 0;
        var usage = _detector.State;
        foreach (var p in packets)
        {
            if (p.Late)
            {
                // Reported missing before, arrived after a later packet: not lost after all. Its loss is taken back; its
                // bytes count for R_hat; it is too late for the delay trend (its group has passed).
                found += p.Received ? 1 : 0;
                if (p.Received && p.ProbeCluster != 0 && p.ProbeCluster == _probeCluster && _probeLost > 0)
                {
                    _probeLost--;
                }
                if (p.Received)
                {
                    AddAck(p.ArrivalUs / 1000.0, p.Size);
                }
                continue;
            }
            // A validating probe's packets (its padding and the media it carried) answer for themselves in FinishProbe:
            // what its overshoot loses in a rate limiter's queue is not the link's loss (§6 would cut As for it).
            var ownLoss = _probeValidates && p.ProbeCluster != 0 && p.ProbeCluster == _probeCluster;
            if (!p.Received && p.SendUs < _outageSentBeforeUs)
            {
                OutageLosses++;
                continue;
            }
            if (!p.Received)
            {
                if (p.ProbeCluster != 0 && p.ProbeCluster == _probeCluster)
                {
                    _probeLost++;
                }
                lost += ownLoss ? 0 : 1;
                continue;
            }
            received += ownLoss ? 0 : 1;
            AddAck(p.ArrivalUs / 1000.0, p.Size);
            if (p.ProbeCluster != 0)
            {
                OnProbePacket(p);
            }
            if (_interArrival.TryAdd(p.SendUs, p.ArrivalUs, out var variation, out var groupArrivalMs, out var arrivalDeltaMs))
            {
                usage = _detector.Update(variation, groupArrivalMs, arrivalDeltaMs);
            }
            if (_probeCluster != 0 && p.ProbeCluster == _probeCluster && usage == BandwidthUsage.Overusing)
            {
                _probeOverused = true;
            }
        }
        ReceivedBps = (long)ReceivedRate();
        _lastFeedbackMs = nowMs;
        if (_probeCluster == 0 && nowMs >= _aftermathUntilMs)
        {
            _delay.Floor = 0;
            _aftermathUntilMs = double.NaN;
        }
        _delay.Update(usage, ReceivedBps, nowMs, rttMs);
        _loss.OnPackets(received, lost, nowMs, _delay.EstimateBps, found);
        Initialize(nowMs, usage == BandwidthUsage.Overusing || _loss.LossFraction > 0.10);
    }

    private void Initialize(double nowMs, bool congested)
    {
        if (double.IsNaN(_firstMs))
        {
            _firstMs = nowMs;
        }
        if (IsInitialized)
        {
            return;
        }
        if (congested)
        {
            IsInitialized = true;
        }
        else if (nowMs - _firstMs >= InitializationMs)
        {
            IsInitialized = true;
            if (ReceivedBps > _delay.EstimateBps)
            {
                _delay.Set(ReceivedBps);
                _loss.Raise(ReceivedBps, _loss.LossFraction);
            }
        }
    }

    /// <summary>Packets reported lost that were sent into a link that was down, and not counted as loss (tracing).</summary>
    public long OutageLosses { get; private set; }

    /// <summary>
    /// The subscriber's link was down and is back (the SFU heard nothing from it for seconds, MediaServerOptions.OutageSilence): a
    /// total outage, which is no evidence of congestion. The estimate stays where it stood before it (as after a
    /// network change with no congestion seen, rather than starting over from the initial guess or from what got
    /// through meanwhile), and what the outage did to the measurements is taken out: the loss of the packets sent
    /// before <paramref name="nowUs"/> (send clock) into the dead link is not counted (§6 would cut As to the minimum
    /// for it), and the delay trend starts afresh (§5.2: the last group before the outage and the first after it are no
    /// inter-group sample).
    /// </summary>
    public void OnOutageEnded(long nowUs)
    {
        _outageSentBeforeUs = nowUs;
        _interArrival.Reset();
        _detector.Reset();
    }

    /// <summary>REMB (draft-alvestrand-rmcat-remb-03): used only while no transport-wide feedback has come.</summary>
    public void OnRemb(long bps, double nowMs)
    {
        if (!HasTransportFeedback && bps > 0)
        {
            _delay.Set(bps);
            Initialize(nowMs, congested: false);
        }
    }

    /// <summary>
    /// Starts measuring probe cluster <paramref name="cluster"/> (its packets carry that id in their results).
    /// <paramref name="validate"/>: the probe must show the path carries <paramref name="targetBps"/> (see <see cref="FinishProbe"/>).
    /// </summary>
    public void StartProbe(int cluster, double targetBps, bool validate = false)
    {
        _probeCluster = cluster;
        _probeTargetBps = targetBps;
        _probePackets = 0;
        _probeLost = 0;
        _probeBytes = 0;
        _probeValidates = validate;
        _probeLossBefore = _loss.LossFraction;
        // Until its result is taken, the probe's own overshoot (the queue and losses it causes) cuts neither side below
        // where it stood: a refused probe must not lower the estimate (see FinishProbe).
        _delayBeforeProbe = validate ? _delay.EstimateBps : 0;
        _lossBeforeProbe = validate ? _loss.EstimateBps : 0;
        _delay.Floor = _delayBeforeProbe;
        _loss.Floor = _lossBeforeProbe;
        _aftermathUntilMs = double.NaN;
        _probeOverused = false;
        _probeMinDelayUs = long.MaxValue;
        _probeTailNext = 0;
    }

    /// <summary>Why the last validating probe was refused (null: accepted, or not a validating probe).</summary>
    public string? LastProbeRefusal { get; private set; }

    /// <summary>A validating probe's one-way delay may grow this much (µs) from its least to its last packets.</summary>
    public const long ProbeDelayGrowthUs = 25_000;

    /// <summary>A validating probe may lose this much more than the link lost before it (and never above <see cref="ProbeMaxLoss"/>).</summary>
    public const double ProbeExtraLoss = 0.05;

    public const double ProbeMaxLoss = 0.10;

    /// <summary>A validating probe whose packets arrived at less than this share of the rate they left at is refused.</summary>
    public const double ProbeSaturated = 0.9;

    private void OnProbePacket(in PacketResult p)
    {
        if (p.ProbeCluster != _probeCluster)
        {
            return;
        }
        if (_probePackets == 0)
        {
            _probeFirstSendUs = p.SendUs;
            _probeFirstArrivalUs = p.ArrivalUs;
        }
        _probePackets++;
        _probeBytes += p.Size;
        var delay = p.ArrivalUs - p.SendUs;
        _probeMinDelayUs = Math.Min(_probeMinDelayUs, delay);
        _probeTailDelayUs[_probeTailNext++ % ProbeTail] = delay;
        _probeLastSize = p.Size;
        _probeLastSendUs = Math.Max(_probeLastSendUs, p.SendUs);
        _probeLastArrivalUs = Math.Max(_probeLastArrivalUs, p.ArrivalUs);
    }

    /// <summary>
    /// Ends the current probe: the rate it got through is min(send rate, receive rate) of its packets (as libwebrtc's
    /// probe analysis does); the estimate may grow to 95 % of it at once. A probe beyond the path's capacity queues up
    /// and so reads as over-use itself: for a plain probe that is its measurement, not a reason to refuse it.
    /// A validating probe (one that a step up waits for) is refused — 0, the estimate untouched — when the path showed
    /// it could not carry the rate: over-use on the probe's packets (§5.4), its one-way delay grown by more than
    /// <see cref="ProbeDelayGrowthUs"/> from its least to its last packets (a queue building once a rate limiter's burst
    /// is spent: min(send, receive rate) over the whole cluster still reads the burst's line rate), or its loss above
    /// what the link lost before by more than <see cref="ProbeExtraLoss"/> (§6: the loss class got worse), or its packets
    /// arriving at less than <see cref="ProbeSaturated"/> of the rate they left at.
    /// </summary>
    public long FinishProbe()
    {
        var cluster = _probeCluster;
        _probeCluster = 0;
        LastProbeRefusal = null;
        _delay.Floor = 0;
        _loss.Floor = 0;
        var probeLoss = _probePackets + _probeLost == 0 ? 1 : (double)_probeLost / (_probePackets + _probeLost);
        if (cluster == 0 || _probePackets < 5 || probeLoss > ProbeMaxLoss)
        {
            LastProbeRefusal = _probeValidates ? (_probePackets < 5 ? "too few packets" : "loss") : null;
            UndoRefusedProbe();
            return 0;
        }
        if (_probeValidates)
        {
            var tailMin = long.MaxValue;
            for (var i = 0; i < Math.Min(_probeTailNext, ProbeTail); i++)
            {
                tailMin = Math.Min(tailMin, _probeTailDelayUs[i]);
            }
            LastProbeRefusal = _probeOverused ? "over-use"
                : tailMin - _probeMinDelayUs > ProbeDelayGrowthUs ? "delay grew"
                : probeLoss > _probeLossBefore + ProbeExtraLoss ? "loss grew"
                : null;
            if (LastProbeRefusal is not null)
            {
                UndoRefusedProbe();
                return 0;
            }
        }
        var bits = (_probeBytes - _probeLastSize) * 8.0;
        var sendUs = Math.Max(1, _probeLastSendUs - _probeFirstSendUs);
        var receiveUs = Math.Max(1, _probeLastArrivalUs - _probeFirstArrivalUs);
        if (_probeValidates && bits * 1e6 / receiveUs < ProbeSaturated * (bits * 1e6 / sendUs))
        {
            // The packets arrived slower than they left: the path did not carry the probe's rate (libwebrtc's probe
            // analysis calls such a link saturated at a ratio below 0.9), and what did arrive is partly a burst.
            LastProbeRefusal = "saturated";
            UndoRefusedProbe();
            return 0;
        }
        // Never more than the probe aimed at: on an idle path the packets arrive as fast as they left.
        var rate = Math.Min(Math.Min(bits * 1e6 / sendUs, bits * 1e6 / receiveUs), _probeTargetBps);
        LastProbeBps = (long)rate;
        var grown = Math.Clamp(0.95 * rate, _minBps, _maxBps);
        _delay.ProbedBps = Math.Max(_delay.ProbedBps, grown);
        if (grown > _delay.EstimateBps)
        {
            _delay.Set(grown);
        }
        _loss.Raise(grown, probeLoss);
        _delayBeforeProbe = 0;
        _lossBeforeProbe = 0;
        return LastProbeBps;
    }

    /// <summary>
    /// A refused validating probe leaves the estimate no lower than it found it: its overshoot queued up in a rate
    /// limiter (a token bucket's burst spent) and lost there — the link's answer to the probe, not to the media. On the
    /// 300 kbit/s + 5 % loss rural link such a probe's aftermath cut the estimate to 104 kbit/s and paused the video
    /// for 6.5 s (RuralLinkFigures 2026-12-05 07:22). The loss-based side starts a fresh interval without its losses.
    /// </summary>
    private void UndoRefusedProbe()
    {
        if (_delayBeforeProbe > 0)
        {
            _delay.Restore(_delayBeforeProbe);
            _loss.Restore(_lossBeforeProbe);
            _delay.Floor = _delayBeforeProbe;
            _aftermathUntilMs = _lastFeedbackMs + ProbeAftermathMs;
        }
        _delayBeforeProbe = 0;
        _lossBeforeProbe = 0;
    }

    private void AddAck(double arrivalMs, int bytes)
    {
        _ackMs[_ackNext] = arrivalMs;
        _ackBytes[_ackNext] = bytes;
        _ackNext = (_ackNext + 1) % RateWindowSize;
        _ackCount = Math.Min(_ackCount + 1, RateWindowSize);
    }

    private double ReceivedRate()
    {
        if (_ackCount == 0)
        {
            return 0;
        }
        var newest = _ackMs[(_ackNext - 1 + RateWindowSize) % RateWindowSize];
        double bytes = 0;
        var oldest = newest;
        for (var i = 0; i < _ackCount; i++)
        {
            var at = (_ackNext - 1 - i + RateWindowSize) % RateWindowSize;
            if (newest - _ackMs[at] > RateWindowMs)
            {
                break;
            }
            bytes += _ackBytes[at];
            oldest = _ackMs[at];
        }
        // At least 100 ms of span, so a burst's few packets do not pass for a huge rate.
        var spanMs = Math.Max(newest - oldest, 100);
        return bytes * 8 * 1000 / spanMs;
    }
}
