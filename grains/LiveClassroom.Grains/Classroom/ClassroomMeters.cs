using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// Where a class's media negotiation spends its time in the grain (<c>liveclassroom.class.negotiate.duration</c>, by
/// part): placing (the nodes' loads), opening an edge, the SDP negotiation on the chosen node, the state write and its
/// events, routing. The parts are what a burst of re-offers (an edge node lost) queues behind, so the cascade benchmark
/// prints them.
/// </summary>
public static class ClassroomMeters
{
    public const string MeterName = "LiveClassroom.Grains";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Negotiate = Meter.CreateHistogram("liveclassroom.class.negotiate.duration", "s",
        "Time a class's grain spends on one media negotiation, by part (place, edge, negotiate, commit, route, all)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5] });

    /// <summary>Name of the gauge of media offers waiting for the lead's on a fresh activation (<c>ClassroomGrain.LeadFirst</c>).</summary>
    public const string OffersWaitingForLeadName = "liveclassroom.class.offers_waiting_for_lead";

    private static readonly UpDownCounter<int> OffersWaitingForLead = Meter.CreateUpDownCounter<int>(OffersWaitingForLeadName, "{offer}",
        "Media offers a class's fresh activation holds until its lead has negotiated (bounded)");

    internal static void WaitingForLead(int delta) => OffersWaitingForLead.Add(delta);

    /// <summary>Records the time since <paramref name="since"/> (a <see cref="Stopwatch"/> timestamp) under <paramref name="part"/>; returns now.</summary>
    internal static long Record(string part, long since)
    {
        var now = Stopwatch.GetTimestamp();
        Negotiate.Record(Stopwatch.GetElapsedTime(since, now).TotalSeconds, new KeyValuePair<string, object?>("part", part));
        return now;
    }
}
