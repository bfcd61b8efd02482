using System.Diagnostics;
using HdrHistogram;
using LiveClassroom.LoadTests.Cluster;

namespace LiveClassroom.LoadTests.Cascade;

internal sealed partial class CascadeBenchmark
{
    /// <summary>
    /// One window of <see cref="Seconds"/> with every classroom receiving: per node, forwarded packets per second (the
    /// SFU's counter, relay feed included), the server process's CPU, its subscribers; latency teacher → classroom and
    /// loss (sequence gaps) for the classrooms on each node.
    /// </summary>
    private async Task MeasureAsync(BenchNode origin)
    {
        // REMB steers a classroom's layer once its estimate is 5 s old: let the last ones settle.
        await Task.Delay(TimeSpan.FromSeconds(7));
        var before = await Task.WhenAll(_nodes.Select(n => n.SfuFiguresAsync()));
        var cpuBefore = _nodes.Select(n => n.CpuSeconds()).ToArray();
        var mediaCpuBefore = _nodes.Select(n => n.MediaThreadCpuSeconds()).ToArray();
        var teacherBefore = _teacher!.Sender.PacketsSent;
        var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var connected = _classrooms.Where(c => c.Connected).ToList();
        foreach (var c in connected)
        {
            c.BeginWindow();
        }
        await Task.Delay(TimeSpan.FromSeconds(Seconds));
        var windows = connected.Select(c => (Classroom: c, Window: c.EndWindow())).ToList();
        var elapsed = wall.Elapsed.TotalSeconds;
        var after = await Task.WhenAll(_nodes.Select(n => n.SfuFiguresAsync()));
        var cpuAfter = _nodes.Select(n => n.CpuSeconds()).ToArray();
        var mediaCpuAfter = _nodes.Select(n => n.MediaThreadCpuSeconds()).ToArray();
        var teacherRate = (_teacher.Sender.PacketsSent - teacherBefore) / elapsed;
        var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalSeconds / elapsed;

        Console.WriteLine();
        Console.WriteLine(Invariant($"Steady state, {Seconds} s window, load average {ClusterBenchmark.LoadAverage()}; the teacher sent {teacherRate:F0} pkt/s (3 layers + audio); this process (teacher and classrooms) used {100 * ownCpu:F0} % CPU"));
        Console.WriteLine("node   | role   | classrooms | SFU peers | fwd pkt/s | media thr CPU %  | process CPU % | latency p50 ms | p99 ms |   max ms | received | missing | loss %");
        var edgeLatency = new LongHistogram(1, 60_000_000, 2);
        var originLatency = new LongHistogram(1, 60_000_000, 2);
        for (var i = 0; i < _nodes.Count; i++)
        {
            var n = _nodes[i];
            var mine = windows.Where(w => w.Classroom.MediaNode == n).ToList();
            var latency = new LongHistogram(1, 60_000_000, 2);
            foreach (var w in mine)
            {
                latency.Add(w.Window.Latency);
            }
            (n == origin ? originLatency : edgeLatency).Add(latency);
            var received = mine.Sum(w => w.Window.Received);
            var missing = mine.Sum(w => w.Window.Missing);
            var loss = received + missing == 0 ? 0 : 100.0 * missing / (received + missing);
            Console.WriteLine(Invariant(
                $"{n.Name,-6} | {(n == origin ? "origin" : "edge"),-6} | {mine.Count,10} | {after[i].Peers,9:F0} | {(after[i].Forwarded - before[i].Forwarded) / elapsed,9:F0} | {100 * (mediaCpuAfter[i] - mediaCpuBefore[i]) / elapsed,16:F1} | {100 * (cpuAfter[i] - cpuBefore[i]) / elapsed,13:F1} | {Percentiles(latency)} | {received,8} | {missing,7} | {loss,6:F3}"));
        }
        // What each group received shows whether the SFU kept it on the layer its REMB asks for.
        var layers = string.Join(", ", windows.GroupBy(w => w.Classroom.RembBps switch { 250_000 => "q", 900_000 => "h", _ => "f" })
            .OrderBy(g => g.Key).Select(g =>
            {
                var rates = g.Select(w => w.Window.Video / elapsed).OrderBy(r => r).ToList();
                return Invariant($"{g.Count()} steered to {g.Key} (video pkt/s each: min {rates[0]:F0}, p50 {rates[rates.Count / 2]:F0}, max {rates[^1]:F0})");
            }));
        Console.WriteLine($"classrooms by REMB: {layers} (q: REMB 250 kbps, h: 900 kbps, f: no REMB, the SFU's default)");
        if (originLatency.TotalCount > 0 && edgeLatency.TotalCount > 0)
        {
            Console.WriteLine(Invariant(
                $"latency teacher → classroom: on the origin (one SFU) p50 {Ms(originLatency.GetValueAtPercentile(50)):F2} / p99 {Ms(originLatency.GetValueAtPercentile(99)):F2} ms; on an edge (origin SFU → relay → edge SFU) p50 {Ms(edgeLatency.GetValueAtPercentile(50)):F2} / p99 {Ms(edgeLatency.GetValueAtPercentile(99)):F2} ms; added by the hop p50 {Ms(edgeLatency.GetValueAtPercentile(50) - originLatency.GetValueAtPercentile(50)):F2} / p99 {Ms(edgeLatency.GetValueAtPercentile(99) - originLatency.GetValueAtPercentile(99)):F2} ms"));
        }
        Console.WriteLine(Invariant($"since the joins: peers replaced by the page's 5.5 s silence fallback or MediaNodeLost {_classrooms.Sum(c => c.Replacements)}, hub connections dropped and reconnected {_classrooms.Sum(c => c.HubReconnects)}, joins again (dropped) {_classrooms.Sum(c => c.Rejoins)}"));
        Console.WriteLine("fwd pkt/s: the SFU's forwarded-packet counter (to classrooms, and the origin's relay feed); media thr CPU: the server's threads named media-* (SFU receive workers, fan-out lanes, relay receive and timer); process CPU: the whole server process (SFU, grains, hub, Orleans); latency: the send time stamped in each payload by the teacher to its arrival at a classroom, both in this process, all loopback hops and the synthetic peers' own SRTP and scheduling included");
    }

    /// <summary>
    /// The hub side of the move, on the origin (which holds every classroom's hub connection): the Negotiate calls as the
    /// hub saw them (its grain call, the whole method), the class events it fanned out (sends, the pump's busy time,
    /// messages handed to connections), its thread pool backlog; and as the classrooms saw it: event messages received,
    /// each event's lag from the grain's stamp to its handling, and per moved classroom the messages that arrived while its
    /// Negotiate waited and how far behind the event stream was when its answer came.
    /// </summary>
    private static void PrintHubSide(BenchNode origin, MetricsReading before, MetricsReading after, EventLag lag, List<CascadeClassroom> back,
        double moveSeconds, double ownCpu, double poolQueueMax)
    {
        Console.WriteLine(Invariant($"the hub on {origin.Name} meanwhile ({moveSeconds:F1} s from the kill until the last classroom was back):"));
        Console.WriteLine($"  Negotiate, the class grain's call: {after.Histogram("liveclassroom_hub_negotiate_duration_seconds", before, "part=\"grain\"").Describe()}");
        Console.WriteLine($"  Negotiate, the whole hub method: {after.Histogram("liveclassroom_hub_negotiate_duration_seconds", before, "part=\"hub\"").Describe()}");
        Console.WriteLine($"  class event sends to the class's group, the send alone: {after.Histogram("liveclassroom_rooms_fanout_send_duration_seconds", before, "hub=\"class\"").Describe()}");
        Console.WriteLine($"  class event sends, arrival on the node → written to every connection: {after.Histogram("liveclassroom_rooms_fanout_duration_seconds", before, "hub=\"class\"").Describe()}");
        var single = after.Value("liveclassroom_hub_class_messages_total", "kind=\"event\"") - before.Value("liveclassroom_hub_class_messages_total", "kind=\"event\"");
        var batches = after.Value("liveclassroom_hub_class_messages_total", "kind=\"batch\"") - before.Value("liveclassroom_hub_class_messages_total", "kind=\"batch\"");
        var copies = after.Value("liveclassroom_hub_class_event_copies_total") - before.Value("liveclassroom_hub_class_event_copies_total");
        Console.WriteLine(Invariant($"  messages handed to connections: {single:F0} RoomEvent + {batches:F0} RoomEvents batches, carrying {copies:F0} events in all; thread pool queue (sampled each second) max {poolQueueMax:F0}"));
        Console.WriteLine(Invariant($"  the classrooms received {lag.Messages} event messages ({lag.Events} events; one MediaChanged ≈ {lag.MediaChangedChars} characters of JSON); lag from the grain's stamp to handling here: {lag.Describe()}; this process used {100 * ownCpu:F0} % CPU"));
        var during = back.Select(c => (double)c.MessagesDuringNegotiate).OrderBy(v => v).ToList();
        var behind = back.Select(c => c.StreamLagAtAnswer).OrderBy(v => v).ToList();
        double At(List<double> list, double p) => list.Count == 0 ? double.NaN : list[Math.Min(list.Count - 1, (int)(p * list.Count))];
        Console.WriteLine(Invariant(
            $"  per moved classroom: event messages received while its Negotiate waited p50 {At(during, 0.5):F0}, max {(during.Count == 0 ? double.NaN : during[^1]):F0}; age of the newest event it had when the answer came p50 {At(behind, 0.5):F2} s, max {(behind.Count == 0 ? double.NaN : behind[^1]):F2} s"));
    }
}
