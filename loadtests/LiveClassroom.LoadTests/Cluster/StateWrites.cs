using System.Globalization;
using System.Text.RegularExpressions;

namespace LiveClassroom.LoadTests.Cluster;

/// <summary>
/// The nodes' grain state writes (the <c>liveclassroom_grain_state_write_*</c> histograms of /metrics) summed over the
/// nodes, per row kind; the difference of two readings is what a phase wrote. Percentiles come from the histogram's
/// buckets, so they are upper bounds (the bucket's edge).
/// </summary>
internal sealed partial class StateWrites
{
    private readonly Dictionary<string, Histogram> _duration = [];
    private readonly Dictionary<string, Histogram> _size = [];

    public static async Task<StateWrites> ReadAsync(IEnumerable<BenchNode> nodes)
    {
        var writes = new StateWrites();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var node in nodes)
        {
            string text;
            try
            {
                text = await http.GetStringAsync(node.MetricsUrl);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // A node too busy to answer (or gone): its writes are left out rather than the run's other figures lost.
                continue;
            }
            foreach (Match m in MetricLine().Matches(text))
            {
                var target = m.Groups["metric"].Value == "duration_seconds" ? writes._duration : writes._size;
                var kind = KindLabel().Match(m.Groups["labels"].Value) is { Success: true } k ? k.Groups[1].Value : "?";
                if (!target.TryGetValue(kind, out var h))
                {
                    target[kind] = h = new Histogram();
                }
                var value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
                switch (m.Groups["part"].Value)
                {
                    case "bucket":
                        var le = LeLabel().Match(m.Groups["labels"].Value).Groups[1].Value;
                        var edge = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
                        h.Buckets[edge] = h.Buckets.GetValueOrDefault(edge) + value;
                        break;
                    case "sum":
                        h.Sum += value;
                        break;
                    case "count":
                        h.Count += value;
                        break;
                }
            }
        }
        return writes;
    }

    /// <summary>One line per row kind: writes, ms per write (mean, p50 ≤, p99 ≤), bytes per write (mean, p99 ≤).</summary>
    public IEnumerable<string> Since(StateWrites before)
    {
        foreach (var (kind, duration) in _duration.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var d = duration.Minus(before._duration.GetValueOrDefault(kind));
            var s = _size.GetValueOrDefault(kind)?.Minus(before._size.GetValueOrDefault(kind)) ?? new Histogram();
            if (d.Count <= 0)
            {
                continue;
            }
            yield return string.Create(CultureInfo.InvariantCulture,
                $"grain state writes, kind {kind}: {d.Count:F0} writes, {d.Sum / d.Count * 1000:F2} ms mean, p50 ≤ {d.Percentile(0.5) * 1000:G3} ms, p99 ≤ {d.Percentile(0.99) * 1000:G3} ms; {(s.Count > 0 ? s.Sum / s.Count : 0):F0} bytes mean, p99 ≤ {s.Percentile(0.99):F0} bytes");
        }
    }

    private sealed class Histogram
    {
        /// <summary>Cumulative counts by upper edge (Prometheus' <c>le</c>).</summary>
        public SortedDictionary<double, double> Buckets { get; } = [];

        public double Sum { get; set; }

        public double Count { get; set; }

        public Histogram Minus(Histogram? other)
        {
            var diff = new Histogram { Sum = Sum - (other?.Sum ?? 0), Count = Count - (other?.Count ?? 0) };
            foreach (var (edge, count) in Buckets)
            {
                diff.Buckets[edge] = count - (other?.Buckets.GetValueOrDefault(edge) ?? 0);
            }
            return diff;
        }

        /// <summary>The edge of the first bucket holding the quantile (infinity past the last edge).</summary>
        public double Percentile(double q)
        {
            foreach (var (edge, count) in Buckets)
            {
                if (count >= q * Count)
                {
                    return edge;
                }
            }
            return double.PositiveInfinity;
        }
    }

    [GeneratedRegex(@"^liveclassroom_grain_state_write_(?<metric>duration_seconds|size_bytes)_(?<part>bucket|sum|count)(?:\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex MetricLine();

    [GeneratedRegex("kind=\"([^\"]*)\"")]
    private static partial Regex KindLabel();

    [GeneratedRegex("le=\"([^\"]*)\"")]
    private static partial Regex LeLabel();
}
