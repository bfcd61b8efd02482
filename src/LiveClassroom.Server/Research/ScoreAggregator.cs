namespace LiveClassroom.Server.Research;

/// <summary>Turns score sheets into per-criterion statistics and a weighted total.</summary>
public static class ScoreAggregator
{
    public static LessonScores Aggregate(Rubric rubric, IEnumerable<ScoreEntry> scores)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        // One value per observer and criterion, the latest: a sheet saved twice (a reconnect, a retried autosave) counts once.
        var latest = new Dictionary<(Guid, string), ScoreEntry>();
        foreach (var s in scores)
        {
            var key = (s.ObserverId, s.CriterionKey);
            if (!latest.TryGetValue(key, out var seen) || s.UpdatedAt >= seen.UpdatedAt)
            {
                latest[key] = s;
            }
        }
        var stats = new List<CriterionStats>();
        double weighted = 0, weights = 0;
        var complete = true;
        foreach (var c in rubric.Criteria)
        {
            var values = latest.Values.Where(v => v.CriterionKey == c.Key).Select(v => v.Score).ToList();
            if (values.Count == 0)
            {
                complete = false;
                stats.Add(new CriterionStats(c.Key, c.Name, c.Weight, 0, null, null, null, null));
                continue;
            }
            var mean = values.Average();
            var variance = values.Sum(v => (v - mean) * (v - mean)) / values.Count;
            stats.Add(new CriterionStats(c.Key, c.Name, c.Weight, values.Count, Round(mean), values.Min(), values.Max(), Round(Math.Sqrt(variance))));
            weighted += c.Weight * mean / rubric.ScaleMax;
            weights += c.Weight;
        }
        var sheets = latest.Values.Where(v => rubric.Criteria.Any(c => c.Key == v.CriterionKey)).Select(v => v.ObserverId).Distinct().Count();
        return new LessonScores(stats, weights > 0 ? Round(weighted / weights * 100) : null, complete, sheets);
    }

    private static double Round(double v) => Math.Round(v, 2, MidpointRounding.AwayFromZero);
}
