using System.Diagnostics;
using System.Diagnostics.Metrics;
using LiveClassroom.Server.Operations;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// The classroom hub's own figures (docs/OPERATIONS.md, "Metrics"): where a <c>Negotiate</c> call spends its time on
/// the hub's node (the class grain's call, the whole hub method), and how many messages carrying class events this
/// node hands to connections. The cascade benchmark reads them around an edge kill: a page's <c>Negotiate</c> answer
/// travels on the same connection as the class's events, behind them.
/// </summary>
public sealed class ClassroomHubMetrics
{
    private readonly Histogram<double> _negotiate;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _eventCopies;
    private readonly Counter<long> _withheld;

    public ClassroomHubMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ServerMetrics.MeterName);
        _negotiate = meter.CreateHistogram("liveclassroom.hub.negotiate.duration", "s",
            "A Negotiate call on the hub's node, by part: the class grain's ConnectMediaAsync (grain), the whole hub method (hub)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _messages = meter.CreateCounter<long>("liveclassroom.hub.class_messages", "{message}",
            "SignalR messages carrying class events handed to connections on this node (one per connection per send), by kind: event (RoomEvent), batch (RoomEvents)");
        _eventCopies = meter.CreateCounter<long>("liveclassroom.hub.class_event_copies", "{event}",
            "Class events handed to connections on this node, once per connection (an event in a batch counts once per connection that gets it)");
        _withheld = meter.CreateCounter<long>("liveclassroom.hub.class_event_copies_withheld", "{event}",
            "Class events not handed to a rural classroom's connections on this node because none was for that classroom (docs/HUB.md), once per connection");
        _messages.Add(0, new KeyValuePair<string, object?>("kind", "event"));
        _messages.Add(0, new KeyValuePair<string, object?>("kind", "batch"));
        _eventCopies.Add(0);
        _withheld.Add(0);
    }

    /// <summary>Records the time since <paramref name="since"/> (a <see cref="Stopwatch"/> timestamp) under <paramref name="part"/>.</summary>
    public void Negotiated(string part, long since) =>
        _negotiate.Record(Stopwatch.GetElapsedTime(since).TotalSeconds, new KeyValuePair<string, object?>("part", part));

    /// <summary><paramref name="connections"/> connections are handed one message carrying <paramref name="events"/> events.</summary>
    public void Sent(bool batch, int connections, int events)
    {
        _messages.Add(connections, new KeyValuePair<string, object?>("kind", batch ? "batch" : "event"));
        _eventCopies.Add((long)connections * events);
    }

    /// <summary><paramref name="connections"/> connections were sent nothing for <paramref name="events"/> events, none of them for them.</summary>
    public void Withheld(int connections, int events) => _withheld.Add((long)connections * events);
}
