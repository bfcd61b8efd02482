using System.Diagnostics;

namespace LiveClassroom.LoadTests.Cluster;

internal sealed partial class ClusterBenchmark
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Hub round trips, one call at a time, the four kinds interleaved so the machine's load falls on all alike:
    /// <c>Resync</c> (the hub finds the connection's join in memory, then one grain call, <c>GetSnapshotAsync</c>, an
    /// in-memory read) from a connection on the class's node and from one on the other node, whose silo forwards the
    /// call; and <c>WatchClassroom</c> (a device's doorbell: no grain call, no database) on each node, the hub round
    /// trip alone. Nothing is subtracted: the grain call's share is the difference of the rows.
    /// </summary>
    private async Task MeasureGrainCallsAsync(BenchNode host)
    {
        var other = Other(host);
        var probes = new (string What, ClassClient Client, string Method, object?[] Args, Latency Latency)[]
        {
            ("Resync: hub → grain on the same node (local call)", FirstOn(host, "teacher"), "Resync", [_class.ClassId], new Latency()),
            ("Resync: hub → grain on the other node (cross-node)", FirstOn(other, "teacher"), "Resync", [_class.ClassId], new Latency()),
            ("WatchClassroom: hub round trip, no grain call (class's node)", FirstOn(host, "device"), "WatchClassroom", [], new Latency()),
            ("WatchClassroom: hub round trip, no grain call (other node)", FirstOn(other, "device"), "WatchClassroom", [], new Latency()),
        };
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var warmUp = Math.Min(200, Calls);
        for (var i = 0; i < warmUp + Calls; i++)
        {
            foreach (var probe in probes)
            {
                var start = Stopwatch.GetTimestamp();
                await probe.Client.InvokeAsync(probe.Method, probe.Args, budget.Token);
                if (i >= warmUp)
                {
                    probe.Latency.Record(start, Stopwatch.GetTimestamp());
                }
            }
        }
        Console.WriteLine();
        Console.WriteLine($"Grain call latency through the hub ({Calls} calls each after {warmUp} warm-up, one at a time, interleaved; .NET SignalR client, JSON protocol, WebSockets):");
        Console.WriteLine($"{"call",-62} |   calls |   p50 ms |   p99 ms |   max ms");
        foreach (var probe in probes)
        {
            Console.WriteLine($"{probe.What,-62} | {probe.Latency.Row()}");
        }
    }

    /// <summary>
    /// The teacher sends chat messages one at a time, alternately from a connection on the class's node and from one on
    /// the other node; each is timed from just before <c>SendChat</c> until its <c>RoomEvent</c> arrives on each of the
    /// connections (all of them, the sender's included), split by where the receiving connection is. The next message
    /// goes once every connection has the previous one (or after 10 s). The path: hub → grain (which writes the class's
    /// state to PostgreSQL before it publishes) → one observer per node → that node's hub group.
    /// </summary>
    private async Task MeasureFanOutAsync(BenchNode host)
    {
        var other = Other(host);
        var senders = new[] { FirstOn(host, "teacher"), FirstOn(other, "teacher") };
        var rows = new (string What, Latency Latency)[]
        {
            ("teacher on the class's node → connections on the class's node", new Latency()),
            ("teacher on the class's node → connections on the other node", new Latency()),
            ("teacher on the other node → connections on the class's node", new Latency()),
            ("teacher on the other node → connections on the other node", new Latency()),
            ("SendChat answered (the sender's round trip)", new Latency()),
            ("first delivery of each message (its quickest connection)", new Latency()),
            ("last delivery of each message (all connections have it)", new Latency()),
        };
        foreach (var c in _clients)
        {
            c.ResetCounters();
        }
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var missing = 0L;
        var wall = Stopwatch.StartNew();
        for (var m = 0; m < Messages; m++)
        {
            var fromOther = m % 2;
            var sent = _chats.Begin($"fan-out {m}", _clients.Count, host, rows[fromOther * 2].Latency, rows[fromOther * 2 + 1].Latency);
            await senders[fromOther].InvokeAsync("SendChat", [_class.ClassId, $"fan-out {m}", false], budget.Token);
            rows[4].Latency.Record(sent.At, Stopwatch.GetTimestamp());
            if (await Task.WhenAny(sent.AllDelivered, Task.Delay(TimeSpan.FromSeconds(10), budget.Token)) != sent.AllDelivered)
            {
                missing += _clients.Count - sent.Count;
                continue;
            }
            rows[5].Latency.Record(sent.At, sent.FirstDeliveredAt);
            rows[6].Latency.Record(sent.At, sent.AllDeliveredAt);
        }
        Console.WriteLine();
        Console.WriteLine(Invariant($"Event fan-out: {Messages} chat messages from the teacher, each to all {_clients.Count} connections ({_clients.Count / 2} per node), send → RoomEvent received ({wall.Elapsed.TotalSeconds:F1} s):"));
        Console.WriteLine($"{"sender → receivers",-62} |   count |   p50 ms |   p99 ms |   max ms");
        foreach (var (what, latency) in rows)
        {
            Console.WriteLine($"{what,-62} | {latency.Row()}");
        }
        Console.WriteLine($"deliveries missing after 10 s: {missing}; events delivered twice to a connection (same seq): {_clients.Sum(c => c.DuplicateEvents)}; seq gaps seen: {_clients.Sum(c => c.Gaps)}");
    }
}
