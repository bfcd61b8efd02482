using System.Globalization;
using System.Text.RegularExpressions;
using LiveClassroom.LoadTests.Cluster;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// The class grain's negotiation time by part (the <c>liveclassroom_class_negotiate_duration_seconds</c> histogram of
/// /metrics, summed over the nodes): count and total seconds per part; the difference of two readings is what a phase spent.
/// </summary>
internal sealed partial class NegotiateParts
{
    private readonly Dictionary<string, (double Count, double Sum)> _parts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _routes = new(StringComparer.Ordinal);

    public static async Task<NegotiateParts> ReadAsync(IEnumerable<BenchNode> nodes)
    {
        var parts = new NegotiateParts();
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
                // A killed node: its figures are gone with it (the class grain is on the origin). Or a node too busy to
                // answer within 10 s: its figures are left out rather than the run's other figures lost.
                continue;
            }
            foreach (Match m in RouteLine().Matches(text))
            {
                var key = $"{m.Groups["node"].Value} {m.Groups["result"].Value}";
                parts._routes[key] = parts._routes.GetValueOrDefault(key) + double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
            foreach (Match m in Line().Matches(text))
            {
                var part = m.Groups["part"].Value;
                var value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
                var (count, sum) = parts._parts.GetValueOrDefault(part);
                parts._parts[part] = m.Groups["kind"].Value == "count" ? (count + value, sum) : (count, sum + value);
            }
        }
        return parts;
    }

    /// <summary>One line: per part, negotiations and total/mean seconds since <paramref name="before"/>.</summary>
    public string Since(NegotiateParts before)
    {
        var order = new[] { "all", "place", "edge", "negotiate", "commit", "commit.resume", "write.store", "write.publish", "route", "route.own", "pass", "pass.queue", "pass.edges", "pass.walk", "pass.sends" };
        var items = new List<string>();
        foreach (var part in order)
        {
            if (!_parts.TryGetValue(part, out var now))
            {
                continue;
            }
            var then = before._parts.GetValueOrDefault(part);
            var count = now.Count - then.Count;
            var sum = now.Sum - then.Sum;
            if (count > 0)
            {
                items.Add(string.Create(CultureInfo.InvariantCulture, $"{part} {count:F0} × {1000 * sum / count:F1} ms = {sum:F2} s"));
            }
        }
        foreach (var (key, now) in _routes.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var routes = now - before._routes.GetValueOrDefault(key);
            if (routes > 0)
            {
                items.Add(string.Create(CultureInfo.InvariantCulture, $"routes {key} {routes:F0}"));
            }
        }
        return items.Count == 0 ? "no negotiations recorded" : string.Join("; ", items);
    }

    [GeneratedRegex(@"^liveclassroom_class_routes(?:_total)?\{(?=[^}]*node=""(?<node>[^""]+)"")(?=[^}]*result=""(?<result>[^""]+)"")[^}]*\} (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex RouteLine();

    [GeneratedRegex(@"^liveclassroom_class_negotiate_duration_seconds_(?<kind>sum|count)\{[^}]*part=""(?<part>[^""]+)""[^}]*\} (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Line();
}
