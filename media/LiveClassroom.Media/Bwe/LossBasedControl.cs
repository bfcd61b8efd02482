// draft-ietf-rmcat-gcc-02 §6 (loss-based control): with p the fraction lost since the last update,
// As(i) = As(i−1)·(1 − 0.5·p) when p > 0.1, As(i) = 1.05·As(i−1) when p < 0.02, unchanged in between.
// Updated once per interval of at least a second (the draft runs it per RTCP report).
namespace LiveClassroom.Media.Bwe;

/// <summary>The loss-based rate As. Not thread-safe.</summary>
internal sealed class LossBasedControl(double initialBps, double minBps, double maxBps)
{
    public const double IntervalMs = 1000;
    private long _lost;
    private long _total;
    private double _intervalStartMs = double.NaN;

    public double EstimateBps { get; private set; } = initialBps;

    /// <summary>While a validating probe runs, As goes no lower than this (its value before the probe; 0: no floor).</summary>
    public double Floor { get; set; }

    /// <summary>Times loss above 10 % cut the estimate (tracing).</summary>
    public int Cuts { get; private set; }

    /// <summary>Fraction lost over the last completed interval.</summary>
    public double LossFraction { get; private set; }

    /// <summary>
    /// As is where the delay-based cap (2 × the delay-based rate) put it, not where loss did: capped by the last update,
    /// or capped before and not cut by loss since. It then says nothing the delay-based rate does not (a loaded machine's
    /// queue pulls both down at 0 % loss). Without the second half, As capped low and then growing 5 % per update toward a
    /// cap that rose faster read as a figure of its own, and paused video at 0 % loss (AudioFirstTests, CI 2026-12-06).
    /// </summary>
    public bool HeldByDelay { get; private set; }

    /// <summary>
    /// A probe (or the first seconds of feedback) showed the path carries <paramref name="bps"/> losing
    /// <paramref name="lossFraction"/>: without heavy loss, As starts from there and that loss replaces an older figure.
    /// </summary>
    public void Raise(double bps, double lossFraction)
    {
        if (lossFraction <= 0.10)
        {
            EstimateBps = Math.Clamp(Math.Max(EstimateBps, bps), minBps, maxBps);
            LossFraction = lossFraction;
            HeldByDelay = false;
            _lost = 0;
            _total = 0;
            _intervalStartMs = double.NaN;
        }
    }

    /// <summary>Raises As back to <paramref name="bps"/> if it fell below, and starts a fresh interval (a refused probe's losses dropped).</summary>
    public void Restore(double bps)
    {
        EstimateBps = Math.Clamp(Math.Max(EstimateBps, bps), minBps, maxBps);
        HeldByDelay = false;
        _lost = 0;
        _total = 0;
        _intervalStartMs = double.NaN;
    }

    /// <param name="found">Packets counted lost before that arrived after all (reordered): taken back from the loss.</param>
    public void OnPackets(int received, int lost, double nowMs, double delayBasedBps, int found = 0)
    {
        _lost = Math.Max(0, _lost + lost - found);
        _total += received + lost;
        if (double.IsNaN(_intervalStartMs))
        {
            _intervalStartMs = nowMs;
        }
        if (nowMs - _intervalStartMs < IntervalMs || _total < 10)
        {
            return;
        }
        var p = (double)_lost / _total;
        var before = EstimateBps;
        LossFraction = p;
        if (p > 0.10)
        {
            EstimateBps *= 1 - (0.5 * p);
            Cuts++;
        }
        else if (p < 0.02)
        {
            EstimateBps *= 1.05;
        }
        // Low loss alone must not let As float far above what the delay-based side believes.
        var own = EstimateBps;
        EstimateBps = Math.Clamp(Math.Max(Math.Min(EstimateBps, 2 * delayBasedBps), Math.Min(Floor, before)), minBps, maxBps);
        // Only a cut for loss makes As loss's own figure again; growth from a capped value does not.
        HeldByDelay = EstimateBps < own || (HeldByDelay && p <= 0.10);
        _lost = 0;
        _total = 0;
        _intervalStartMs = nowMs;
    }
}
