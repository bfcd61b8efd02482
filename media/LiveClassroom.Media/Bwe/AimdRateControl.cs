// draft-ietf-rmcat-gcc-02 §5.5 (rate control): state Hold / Increase / Decrease driven by the over-use signal —
// over-use → Decrease, normal → Increase (from Hold) or Hold (from Decrease), under-use → Hold. Increase is
// multiplicative (η = 1.08 per second) far from the last congestion point and additive (about one packet per
// response time) near it; Decrease sets A = β·R_hat with β = 0.85. A may not exceed 1.5·R_hat (plus a little).
namespace LiveClassroom.Media.Bwe;

/// <summary>The delay-based rate A_hat. Hold ⇄ Increase → Decrease → Hold (see above). Not thread-safe.</summary>
internal sealed class AimdRateControl(double initialBps, double minBps, double maxBps)
{
    private const double Beta = 0.85;
    private const double Eta = 1.08;
    private const double PacketBits = 1200 * 8;
    private State _state = State.Hold;
    private double _lastUpdateMs = double.NaN;
    // Exponential average (and variance) of the received rate at congestion, in kbps (§5.5's "average max bitrate").
    private double _averageMaxKbps = -1;
    private double _varianceMaxKbps = 0.4;

    public double EstimateBps { get; private set; } = initialBps;

    /// <summary>
    /// While a validating probe runs and its feedback is awaited, a Decrease goes no lower than this (the estimate before
    /// the probe): the probe's own overshoot is what queues up, and its refusal is the answer to it (0: no floor).
    /// </summary>
    public double Floor { get; set; }

    /// <summary>Times a Decrease was applied (tracing).</summary>
    public int Cuts { get; private set; }

    /// <summary>The least rate the estimate may grow from regardless of R_hat (a probe's result raises it).</summary>
    public double ProbedBps { get; set; }

    public double Update(BandwidthUsage usage, double receivedBps, double nowMs, double rttMs)
    {
        var dtMs = double.IsNaN(_lastUpdateMs) ? 0 : Math.Min(nowMs - _lastUpdateMs, 1000);
        _lastUpdateMs = nowMs;
        _state = (usage, _state) switch
        {
            (BandwidthUsage.Overusing, _) => State.Decrease,
            (BandwidthUsage.Underusing, _) => State.Hold,
            (BandwidthUsage.Normal, State.Hold) => State.Increase,
            (BandwidthUsage.Normal, State.Decrease) => State.Hold,
            _ => _state,
        };
        var receivedKbps = receivedBps / 1000;
        switch (_state)
        {
            case State.Increase:
                if (_averageMaxKbps >= 0 && receivedKbps > _averageMaxKbps + (3 * Math.Sqrt(_varianceMaxKbps * _averageMaxKbps)))
                {
                    _averageMaxKbps = -1;
                }
                double next;
                if (_averageMaxKbps >= 0)
                {
                    var responseMs = rttMs + 100;
                    next = EstimateBps + Math.Max(1000, PacketBits * dtMs / responseMs);
                }
                else
                {
                    next = EstimateBps * Math.Pow(Eta, dtMs / 1000);
                }
                // Never above 1.5·R_hat (or what a probe showed the path carries), but never lowered by that cap either.
                var cap = Math.Max((1.5 * receivedBps) + 10_000, ProbedBps);
                EstimateBps = Math.Max(EstimateBps, Math.Min(next, cap));
                break;
            case State.Decrease:
                var basis = receivedBps > 0 ? receivedBps : EstimateBps;
                Cuts++;
                EstimateBps = Math.Min(EstimateBps, Math.Max(Beta * basis, Floor));
                ProbedBps = Math.Min(ProbedBps, EstimateBps);
                UpdateMax(receivedKbps);
                _state = State.Hold;
                break;
            default:
                break;
        }
        EstimateBps = Math.Clamp(EstimateBps, minBps, maxBps);
        return EstimateBps;
    }

    /// <summary>Raises the estimate back to <paramref name="bps"/> if it fell below (a refused probe's cut undone).</summary>
    public void Restore(double bps) => EstimateBps = Math.Clamp(Math.Max(EstimateBps, bps), minBps, maxBps);

    /// <summary>Sets the estimate outright (a REMB from a receiver without transport-cc, or a probe's result).</summary>
    public void Set(double bps) => EstimateBps = Math.Clamp(bps, minBps, maxBps);

    private void UpdateMax(double kbps)
    {
        if (kbps <= 0)
        {
            return;
        }
        const double Alpha = 0.05;
        if (_averageMaxKbps < 0)
        {
            _averageMaxKbps = kbps;
        }
        else
        {
            _averageMaxKbps = ((1 - Alpha) * _averageMaxKbps) + (Alpha * kbps);
        }
        var norm = Math.Max(_averageMaxKbps, 1.0);
        _varianceMaxKbps = Math.Clamp(((1 - Alpha) * _varianceMaxKbps) + (Alpha * (_averageMaxKbps - kbps) * (_averageMaxKbps - kbps) / norm), 0.4, 2.5);
    }

    private enum State
    {
        Hold,
        Increase,
        Decrease,
    }
}
