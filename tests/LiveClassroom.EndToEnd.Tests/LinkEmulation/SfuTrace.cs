using System.Globalization;
using System.Text.RegularExpressions;

namespace LiveClassroom.EndToEnd.Tests.LinkEmulation;

/// <summary>
/// The SFU's side of a window, read from the server's log (<c>Media__TraceBandwidth=true</c>: one <c>bwe-trace</c> line
/// per subscriber per second, and the quality notices): the link projector's estimate, its delay- and loss-based parts,
/// layer or pause, and probe counts, second by second, with a summary of the window.
/// </summary>
internal static partial class SfuTrace
{
    /// <summary>The link projector's trace and notices between <paramref name="from"/> and <paramref name="to"/> (UTC).</summary>
    public static IReadOnlyList<(TimeSpan At, string Text)> Lines(string log, string peerId, DateTime from, DateTime to)
    {
        var trace = $"bwe-trace {peerId} ";
        var notice = $"participant {peerId}'s video is now ";
        var lines = new List<(TimeSpan, string)>();
        foreach (var line in log.Split('\n'))
        {
            if (line.Length < 13 || !TimeSpan.TryParseExact(line[..12], @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture, out var at)
                || at < from.TimeOfDay || at > to.TimeOfDay)
            {
                continue;
            }
            var t = line.IndexOf(trace, StringComparison.Ordinal);
            var n = line.IndexOf(notice, StringComparison.Ordinal);
            if (t >= 0)
            {
                lines.Add((at, line[(t + trace.Length)..].TrimEnd()));
            }
            else if (n >= 0)
            {
                lines.Add((at, "NOTICE " + line[(n + notice.Length)..].TrimEnd()));
            }
        }
        return lines;
    }

    /// <summary>When the SFU was probing the link projector: trace lines that say so, or whose probe count rose since the line before.</summary>
    public static IReadOnlyList<TimeSpan> ProbeTimes(IReadOnlyList<(TimeSpan At, string Text)> lines)
    {
        var times = new List<TimeSpan>();
        Sample? before = null;
        foreach (var (at, text) in lines)
        {
            if (Parse(text) is not { } sample)
            {
                continue;
            }
            if (text.EndsWith(" probing", StringComparison.Ordinal) || (before is not null && sample.Probes > before.Probes))
            {
                times.Add(at);
            }
            before = sample;
        }
        return times;
    }

    /// <summary>One line: probes started / validated / refused in the window, the refusals' reasons, the estimate's range, cuts, seconds paused.</summary>
    public static string Summary(IReadOnlyList<(TimeSpan At, string Text)> lines)
    {
        var samples = lines.Where(l => !l.Text.StartsWith("NOTICE", StringComparison.Ordinal)).Select(l => Parse(l.Text)).Where(s => s is not null).Select(s => s!).ToList();
        if (samples.Count == 0)
        {
            return "SFU trace: no bwe-trace lines for the link projector (Media__TraceBandwidth off?)";
        }
        var first = samples[0];
        var last = samples[^1];
        var reasons = samples.Zip(samples.Skip(1)).Where(p => p.Second.Refused > p.First.Refused).Select(p => p.Second.Reason)
            .GroupBy(r => r).Select(g => $"{g.Key} ×{g.Count()}");
        var estimates = samples.Select(s => s.Estimate).Order().ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"SFU: probes started {last.Probes - first.Probes}, validated {last.Validated - first.Validated}, refused {last.Refused - first.Refused} " +
            $"[{string.Join(", ", reasons)}] (totals {last.Probes}/{last.Validated}/{last.Refused}, last refusal {last.Reason}); " +
            $"estimate min {estimates[0]} / median {estimates[estimates.Count / 2]} / max {estimates[^1]} kbps; " +
            $"cuts delay {last.DelayCuts - first.DelayCuts}, loss {last.LossCuts - first.LossCuts}; " +
            $"{samples.Count(s => s.Paused)} of {samples.Count} s paused, layers {string.Join(",", samples.Select(s => s.Layer).Distinct())}");
    }

    private sealed record Sample(long Estimate, string Layer, bool Paused, int Probes, int Validated, int Refused, string Reason, int DelayCuts, int LossCuts);

    private static Sample? Parse(string text)
    {
        var m = TraceLine().Match(text);
        if (!m.Success)
        {
            return null;
        }
        int I(string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        return new Sample(long.Parse(m.Groups["est"].Value, CultureInfo.InvariantCulture), m.Groups["layer"].Value, m.Groups["layer"].Value == "paused",
            I("probes"), I("validated"), I("refused"), m.Groups["reason"].Value, I("dcuts"), I("lcuts"));
    }

    [GeneratedRegex(@"^est=(?<est>\d+) .* layer=(?<layer>\S+) .* cuts\(delay=(?<dcuts>\d+) loss=(?<lcuts>\d+)\) probes=(?<probes>\d+)/(?<validated>\d+)/(?<refused>\d+)\((?<reason>[^)]*)\)")]
    private static partial Regex TraceLine();
}
