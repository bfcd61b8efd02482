using System.Diagnostics;
using System.Globalization;
using HdrHistogram;

namespace LiveClassroom.LoadTests.Cluster;

/// <summary>Latencies in microseconds (1 µs to 5 min, 3 significant digits), recorded from any thread.</summary>
internal sealed class Latency
{
    private readonly LongHistogram _histogram = new(1, 300_000_000, 3);
    private readonly Lock _gate = new();

    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _histogram.TotalCount;
            }
        }
    }

    /// <summary>Records the time from <paramref name="from"/> to <paramref name="to"/> (Stopwatch timestamps).</summary>
    public void Record(long from, long to)
    {
        var micros = Math.Max(1, (to - from) * 1_000_000 / Stopwatch.Frequency);
        lock (_gate)
        {
            _histogram.RecordValue(Math.Min(micros, 300_000_000));
        }
    }

    /// <summary>"count | p50 ms | p99 ms | max ms".</summary>
    public string Row()
    {
        lock (_gate)
        {
            if (_histogram.TotalCount == 0)
            {
                return $"{0,7} | {"-",8} | {"-",8} | {"-",8}";
            }
            return string.Create(CultureInfo.InvariantCulture,
                $"{_histogram.TotalCount,7} | {Ms(_histogram.GetValueAtPercentile(50)),8:F2} | {Ms(_histogram.GetValueAtPercentile(99)),8:F2} | {Ms(_histogram.GetMaxValue()),8:F2}");
        }
    }

    private static double Ms(long micros) => micros / 1000.0;
}
