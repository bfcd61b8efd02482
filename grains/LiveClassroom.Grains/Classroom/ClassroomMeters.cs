using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// Where a class's media negotiation spends its time in the grain (<c>liveclassroom.class.negotiate.duration</c>, by
/// part): placing (the nodes' loads), opening an edge, the SDP negotiation on the chosen node, the state write and its
/// events, routing. The parts are what a burst of re-offers (an edge node lost) queues behind, so the cascade benchmark
/// prints them. The routing passes are recorded under parts of their own (<c>pass</c>: one whole pass; <c>pass.queue</c>:
/// per asker, from asking until its pass began; <c>pass.edges</c>: keeping the edges' feeds; <c>pass.sends</c>: awaiting
/// the routes it sent), the state writes under theirs (<c>write.store</c>, <c>write.publish</c>; <c>commit.resume</c>: per
/// negotiation, from its write's end until it had the grain's turn again) and the routes sent are counted (<c>liveclassroom.class.routes</c>, by node and result).
/// </summary>
public static class ClassroomMeters
{
    public const string MeterName = "LiveClassroom.Grains";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Negotiate = Meter.CreateHistogram("liveclassroom.class.negotiate.duration", "s",
        "Time a class's grain spends on one media negotiation, by part (place, edge, negotiate, commit, route, all), and on its routing passes (pass, pass.queue, pass.edges, pass.sends)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5] });

    /// <summary>Name of the gauge of media offers waiting for the lead's on a fresh activation (<c>ClassroomGrain.LeadFirst</c>).</summary>
    public const string OffersWaitingForLeadName = "liveclassroom.class.offers_waiting_for_lead";

    private static readonly UpDownCounter<int> OffersWaitingForLead = Meter.CreateUpDownCounter<int>(OffersWaitingForLeadName, "{offer}",
        "Media offers a class's fresh activation holds until its lead has negotiated (bounded)");

    internal static void WaitingForLead(int delta) => OffersWaitingForLead.Add(delta);

    private static readonly Counter<long> Routes = Meter.CreateCounter<long>("liveclassroom.class.routes", "{route}",
        "Route changes a class's grain sent to a media node, by node (origin: its own; edge: another node's grain) and result (sent, failed, skipped: the node is taken for lost)");

    internal static void Routed(bool edge, string result) =>
        Routes.Add(1, new KeyValuePair<string, object?>("node", edge ? "edge" : "origin"), new KeyValuePair<string, object?>("result", result));

    /// <summary>Records the time since <paramref name="since"/> (a <see cref="Stopwatch"/> timestamp) under <paramref name="part"/>; returns now.</summary>
    internal static long Record(string part, long since)
    {
        var now = Stopwatch.GetTimestamp();
        Negotiate.Record(Stopwatch.GetElapsedTime(since, now).TotalSeconds, new KeyValuePair<string, object?>("part", part));
        return now;
    }
}
