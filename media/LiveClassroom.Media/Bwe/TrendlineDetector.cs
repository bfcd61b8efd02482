// draft-ietf-rmcat-gcc-02 §5.3–5.4. The arrival-time filter here is a trendline (least-squares slope of the smoothed
// accumulated delay over the last 20 groups), the filter libwebrtc replaced the draft's Kalman filter with; its output
// m(i) feeds the draft's over-use detector unchanged: over-use when m(i) > del_var_th(i) for at least
// overuse_time_th (10 ms) and m is not decreasing, under-use when m(i) < −del_var_th(i), with the adaptive threshold
// del_var_th(i) = del_var_th(i−1) + Δt·K(i)·(|m(i)| − del_var_th(i−1)), K = K_u when |m| > threshold else K_d (§5.4).
namespace LiveClassroom.Media.Bwe;

/// <summary>Delay-based over-use detection from inter-group delay variations. Not thread-safe; no allocation after construction.</summary>
internal sealed class TrendlineDetector
{
    public const int WindowSize = 20;
    private const double Smoothing = 0.9;
    private const double ThresholdGain = 4.0;
    private const double OveruseTimeThresholdMs = 10;
    private const double KUp = 0.0087;
    private const double KDown = 0.039;
    private const double MaxAdaptOffsetMs = 15;

    private readonly double[] _x = new double[WindowSize];
    private readonly double[] _y = new double[WindowSize];
    private int _count;
    private int _next;
    private int _samples;
    private double _firstArrivalMs = double.NaN;
    private double _accumulatedDelay;
    private double _smoothedDelay;
    private double _previousTrend;
    private double _timeOverUsingMs = -1;
    private int _overuseCounter;
    private double _lastUpdateMs = double.NaN;

    /// <summary>del_var_th, in the scaled units of <see cref="ModifiedTrend"/> (starts at 12.5).</summary>
    public double Threshold { get; private set; } = 12.5;

    public double ModifiedTrend { get; private set; }

    public BandwidthUsage State { get; private set; } = BandwidthUsage.Normal;

    /// <summary>Back to the state of a new detector (after an outage): no samples, the initial threshold, Normal.</summary>
    public void Reset()
    {
        _count = 0;
        _next = 0;
        _samples = 0;
        _firstArrivalMs = double.NaN;
        _accumulatedDelay = 0;
        _smoothedDelay = 0;
        _previousTrend = 0;
        _timeOverUsingMs = -1;
        _overuseCounter = 0;
        _lastUpdateMs = double.NaN;
        Threshold = 12.5;
        ModifiedTrend = 0;
        State = BandwidthUsage.Normal;
    }

    public BandwidthUsage Update(double delayVariationMs, double arrivalMs, double arrivalDeltaMs)
    {
        if (double.IsNaN(_firstArrivalMs))
        {
            _firstArrivalMs = arrivalMs;
        }
        _samples++;
        _accumulatedDelay += delayVariationMs;
        _smoothedDelay = (Smoothing * _smoothedDelay) + ((1 - Smoothing) * _accumulatedDelay);
        _x[_next] = arrivalMs - _firstArrivalMs;
        _y[_next] = _smoothedDelay;
        _next = (_next + 1) % WindowSize;
        _count = Math.Min(_count + 1, WindowSize);
        var trend = _previousTrend;
        if (_count == WindowSize && Slope() is { } slope)
        {
            trend = slope;
        }
        Detect(trend, arrivalDeltaMs, arrivalMs);
        return State;
    }

    private double? Slope()
    {
        double meanX = 0, meanY = 0;
        for (var i = 0; i < _count; i++)
        {
            meanX += _x[i];
            meanY += _y[i];
        }
        meanX /= _count;
        meanY /= _count;
        double numerator = 0, denominator = 0;
        for (var i = 0; i < _count; i++)
        {
            numerator += (_x[i] - meanX) * (_y[i] - meanY);
            denominator += (_x[i] - meanX) * (_x[i] - meanX);
        }
        return denominator == 0 ? null : numerator / denominator;
    }

    private void Detect(double trend, double arrivalDeltaMs, double nowMs)
    {
        var modified = Math.Min(_samples, 60) * trend * ThresholdGain;
        ModifiedTrend = modified;
        if (modified > Threshold)
        {
            _timeOverUsingMs = _timeOverUsingMs < 0 ? arrivalDeltaMs / 2 : _timeOverUsingMs + arrivalDeltaMs;
            _overuseCounter++;
            if (_timeOverUsingMs > OveruseTimeThresholdMs && _overuseCounter > 1 && trend >= _previousTrend)
            {
                _timeOverUsingMs = 0;
                _overuseCounter = 0;
                State = BandwidthUsage.Overusing;
            }
        }
        else if (modified < -Threshold)
        {
            _timeOverUsingMs = -1;
            _overuseCounter = 0;
            State = BandwidthUsage.Underusing;
        }
        else
        {
            _timeOverUsingMs = -1;
            _overuseCounter = 0;
            State = BandwidthUsage.Normal;
        }
        _previousTrend = trend;
        AdaptThreshold(modified, nowMs);
    }

    private void AdaptThreshold(double modified, double nowMs)
    {
        if (double.IsNaN(_lastUpdateMs))
        {
            _lastUpdateMs = nowMs;
        }
        // §5.4: a sudden spike (e.g. a route change) must not drag the threshold along.
        if (Math.Abs(modified) > Threshold + MaxAdaptOffsetMs)
        {
            _lastUpdateMs = nowMs;
            return;
        }
        var k = Math.Abs(modified) < Threshold ? KDown : KUp;
        var dt = Math.Min(nowMs - _lastUpdateMs, 100);
        Threshold = Math.Clamp(Threshold + (k * (Math.Abs(modified) - Threshold) * dt), 6, 600);
        _lastUpdateMs = nowMs;
    }
}
