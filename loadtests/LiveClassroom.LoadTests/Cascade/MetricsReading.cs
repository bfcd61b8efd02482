using System.Globalization;
using System.Text.RegularExpressions;
using LiveClassroom.LoadTests.Cluster;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// One scrape of a node's /metrics (Prometheus text): every series by name and labels. Counters and histograms are
/// read as the difference of two scrapes; histogram percentiles come from the buckets, so they are upper bounds.
/// </summary>
internal sealed partial class MetricsReading
{
    private readonly List<(string Name, string Labels, double Value)> _series = [];

    public static async Task<MetricsReading> ReadAsync(BenchNode node)
    {
        var reading = new MetricsReading();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string text;
        try
        {
            text = await http.GetStringAsync(node.MetricsUrl);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return reading;
        }
        foreach (Match m in Line().Matches(text))
        {
            if (double.TryParse(m.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                reading._series.Add((m.Groups["name"].Value, m.Groups["labels"].Value, value));
            }
        }
        return reading;
    }

    /// <summary>Several nodes' scrapes as one: every series of each (so <see cref="Value"/> and <see cref="Histogram"/> sum over the nodes).</summary>
    public static async Task<MetricsReading> ReadAsync(IEnumerable<BenchNode> nodes)
    {
        var sum = new MetricsReading();
        foreach (var reading in await Task.WhenAll(nodes.Select(n => ReadAsync(n))))
        {
            sum._series.AddRange(reading._series);
        }
        return sum;
    }

    /// <summary>The largest value of the series whose name contains <paramref name="fragment"/>, or NaN.</summary>
    public double GaugeMax(string fragment) => _series.Where(s => s.Name.Contains(fragment, StringComparison.Ordinal)).Select(s => s.Value).DefaultIfEmpty(double.NaN).Max();

    /// <summary>The sum of the series named <paramref name="name"/> whose labels include every one of <paramref name="labels"/> (<c>key="value"</c>).</summary>
    public double Value(string name, params string[] labels)
    {
        var sum = 0.0;
        foreach (var s in _series)
        {
            if (s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal)))
            {
                sum += s.Value;
            }
        }
        return sum;
    }

    /// <summary>The first series whose name contains <paramref name="fragment"/> (a gauge whose exact name varies by exporter version), or NaN.</summary>
    public double Gauge(string fragment) => _series.FirstOrDefault(s => s.Name.Contains(fragment, StringComparison.Ordinal)) is { Name: not null } s ? s.Value : double.NaN;

    /// <summary>The histogram <paramref name="name"/> (without its _bucket/_sum/_count suffix) for the given labels, minus the same in <paramref name="before"/>.</summary>
    public HistogramDelta Histogram(string name, MetricsReading before, params string[] labels)
    {
        var delta = new HistogramDelta
        {
            Count = Value(name + "_count", labels) - before.Value(name + "_count", labels),
            Sum = Value(name + "_sum", labels) - before.Value(name + "_sum", labels),
        };
        foreach (var s in _series.Where(s => s.Name == name + "_bucket" && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))))
        {
            var le = LeLabel().Match(s.Labels).Groups[1].Value;
            var edge = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            delta.Buckets[edge] = delta.Buckets.GetValueOrDefault(edge) + s.Value;
        }
        foreach (var s in before._series.Where(s => s.Name == name + "_bucket" && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))))
        {
            var le = LeLabel().Match(s.Labels).Groups[1].Value;
            var edge = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            delta.Buckets[edge] = delta.Buckets.GetValueOrDefault(edge) - s.Value;
        }
        return delta;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Line();

    [GeneratedRegex("le=\"([^\"]*)\"")]
    private static partial Regex LeLabel();

    internal sealed class HistogramDelta
    {
        /// <summary>Cumulative counts by upper edge (Prometheus' <c>le</c>).</summary>
        public SortedDictionary<double, double> Buckets { get; } = [];

        public double Sum { get; set; }

        public double Count { get; set; }

        public double Mean => Count > 0 ? Sum / Count : double.NaN;

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

        /// <summary>"n × mean ms (p50 ≤ …, p90 ≤ …, max ≤ …), total … s".</summary>
        public string Describe() => Count <= 0
            ? "none"
            : string.Create(CultureInfo.InvariantCulture,
                $"{Count:F0} × {Mean * 1000:F1} ms mean (p50 ≤ {Edge(Percentile(0.5))}, p90 ≤ {Edge(Percentile(0.9))}, max ≤ {Edge(Percentile(1))}), total {Sum:F2} s");

        private static string Edge(double seconds) => double.IsPositiveInfinity(seconds)
            ? "∞"
            : seconds >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{seconds:G3} s") : string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:G3} ms");
    }
}
