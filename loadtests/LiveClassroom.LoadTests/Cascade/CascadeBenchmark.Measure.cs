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
        var layers = string.Join(", ", windows.GroupBy(w => w.Classroom.RembBps switch { 250_000 => "q", 900_000 => "h", _ => "f" })
            .OrderBy(g => g.Key).Select(g => Invariant($"{g.Count()} steered to {g.Key}")));
        Console.WriteLine($"classrooms by REMB: {layers} (q: REMB 250 kbps, h: 900 kbps, f: no REMB, the SFU's default)");
        if (originLatency.TotalCount > 0 && edgeLatency.TotalCount > 0)
        {
            Console.WriteLine(Invariant(
                $"latency teacher → classroom: on the origin (one SFU) p50 {Ms(originLatency.GetValueAtPercentile(50)):F2} / p99 {Ms(originLatency.GetValueAtPercentile(99)):F2} ms; on an edge (origin SFU → relay → edge SFU) p50 {Ms(edgeLatency.GetValueAtPercentile(50)):F2} / p99 {Ms(edgeLatency.GetValueAtPercentile(99)):F2} ms; added by the hop p50 {Ms(edgeLatency.GetValueAtPercentile(50) - originLatency.GetValueAtPercentile(50)):F2} / p99 {Ms(edgeLatency.GetValueAtPercentile(99) - originLatency.GetValueAtPercentile(99)):F2} ms"));
        }
        Console.WriteLine(Invariant($"since the joins: peers replaced by the page's 5.5 s silence fallback or MediaNodeLost {_classrooms.Sum(c => c.Replacements)}, hub connections dropped and reconnected {_classrooms.Sum(c => c.HubReconnects)}"));
        Console.WriteLine("fwd pkt/s: the SFU's forwarded-packet counter (to classrooms, and the origin's relay feed); media thr CPU: the server's threads named media-* (SFU receive workers, fan-out lanes, relay receive and timer); process CPU: the whole server process (SFU, grains, hub, Orleans); latency: the send time stamped in each payload by the teacher to its arrival at a classroom, both in this process, all loopback hops and the synthetic peers' own SRTP and scheduling included");
    }

    /// <summary>
    /// kill -9 of the edge carrying the most classrooms; then, per classroom that was on it, the time from the kill until
    /// its replacement peer on a live node received the first packet of a video keyframe.
    /// </summary>
    private async Task KillEdgeAsync(BenchNode origin)
    {
        var victim = _nodes.Where(n => n != origin).OrderByDescending(n => _classrooms.Count(c => c.Connected && c.MediaNode == n)).First();
        var orphans = _classrooms.Where(c => c.Connected && c.MediaNode == victim).ToList();
        if (orphans.Count == 0)
        {
            Console.WriteLine("no classroom on an edge: nothing to kill (raise --classrooms or lower --capacity)");
            return;
        }
        Console.WriteLine();
        Console.WriteLine(Invariant($"kill -9 of {victim.Name} (edge, {orphans.Count} classrooms); load average {ClusterBenchmark.LoadAverage()}"));
        var keyframesBefore = _teacher!.Sender.KeyframesOnRequest;
        var partsBefore = await NegotiateParts.ReadAsync(_nodes);
        var writesBefore = await StateWrites.ReadAsync(_nodes);
        var hubBefore = await MetricsReading.ReadAsync(origin);
        var lag = new EventLag();
        foreach (var c in _classrooms)
        {
            c.Lag = lag;
        }
        var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var killedAt = Stopwatch.GetTimestamp();
        await victim.KillAsync();
        var deadline = Stopwatch.StartNew();
        var poolQueueMax = 0.0;
        var ownQueueMax = 0L;
        var nextSample = TimeSpan.Zero;
        while (deadline.Elapsed < RecoveryDeadline
            && orphans.Any(c => c.VideoBackAt <= killedAt || c.MediaNode == victim))
        {
            if (deadline.Elapsed >= nextSample)
            {
                // The origin's thread pool backlog: work items waiting for a thread (hub receive loops, grain turns, sends).
                nextSample = deadline.Elapsed + TimeSpan.FromSeconds(1);
                var queue = (await MetricsReading.ReadAsync(origin)).Gauge("thread_pool_queue_length");
                poolQueueMax = double.IsNaN(queue) ? poolQueueMax : Math.Max(poolQueueMax, queue);
                // And this process's own, where the 600 classrooms' hub connections are handled.
                ownQueueMax = Math.Max(ownQueueMax, ThreadPool.PendingWorkItemCount);
            }
            await Task.Delay(100);
        }
        var moveSeconds = deadline.Elapsed.TotalSeconds;
        var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalSeconds / moveSeconds;
        foreach (var c in _classrooms)
        {
            c.Lag = null;
        }
        var hubAfter = await MetricsReading.ReadAsync(origin);
        var back = orphans.Where(c => c.VideoBackAt > killedAt && c.MediaNode != victim).ToList();
        var times = back.Select(c => (c.VideoBackAt - killedAt) / (double)Stopwatch.Frequency).OrderBy(t => t).ToList();
        var told = orphans.Where(c => c.NodeLostEventAt > killedAt).Select(c => (c.NodeLostEventAt - killedAt) / (double)Stopwatch.Frequency).OrderBy(t => t).ToList();
        double At(List<double> list, double p) => list.Count == 0 ? double.NaN : list[Math.Min(list.Count - 1, (int)(p * list.Count))];
        Console.WriteLine(Invariant(
            $"video back (first keyframe packet from a live node) for {back.Count} of {orphans.Count} classrooms within {RecoveryDeadline.TotalSeconds:F0} s: p50 {At(times, 0.5):F2} s, p90 {At(times, 0.9):F2} s, max {(times.Count == 0 ? double.NaN : times[^1]):F2} s after the kill (first {(times.Count == 0 ? double.NaN : times[0]):F2} s)"));
        Console.WriteLine(Invariant(
            $"MediaNodeLost reached {told.Count} of them: p50 {At(told, 0.5):F2} s, max {(told.Count == 0 ? double.NaN : told[^1]):F2} s after the kill; replaced because of it: {orphans.Count(c => c.ReplacedBecause == "event")}, by the 5.5 s silence fallback: {orphans.Count(c => c.ReplacedBecause == "silence")}"));
        Console.WriteLine($"now on: {string.Join(", ", _nodes.Where(n => n != victim).Select(n => Invariant($"{n.Name} {back.Count(c => c.MediaNode == n)}")))}; keyframes the teacher sent on request meanwhile: {_teacher.Sender.KeyframesOnRequest - keyframesBefore}");
        var live = _nodes.Where(n => n != victim).ToList();
        Console.WriteLine($"the class grain meanwhile (time by part, all negotiations of the class): {(await NegotiateParts.ReadAsync(live)).Since(partsBefore)}");
        foreach (var line in (await StateWrites.ReadAsync(live)).Since(writesBefore))
        {
            Console.WriteLine("  " + line);
        }
        var calls = back.Select(c => c.NegotiateCallTicks / (double)Stopwatch.Frequency).OrderBy(t => t).ToList();
        var answerToVideo = back.Select(c => (c.VideoBackAt - c.AnsweredAt) / (double)Stopwatch.Frequency).OrderBy(t => t).ToList();
        Console.WriteLine(Invariant(
            $"per classroom back: its Negotiate call (offer → answer, the class grain's queue and turn) p50 {At(calls, 0.5):F2} s, max {(calls.Count == 0 ? double.NaN : calls[^1]):F2} s; answer → keyframe (ICE, DTLS, keyframe) p50 {At(answerToVideo, 0.5):F2} s, max {(answerToVideo.Count == 0 ? double.NaN : answerToVideo[^1]):F2} s; offers per replacement: {string.Join(", ", back.GroupBy(c => c.ReplaceAttempts).OrderBy(g => g.Key).Select(g => Invariant($"{g.Key}: {g.Count()}")))}"));
        PrintHubSide(origin, hubBefore, hubAfter, lag, back, moveSeconds, ownCpu, poolQueueMax);
        Console.WriteLine(Invariant($"  this process's thread pool queue (sampled each second) max {ownQueueMax}, threads {ThreadPool.ThreadCount}"));
        var stuck = orphans.FirstOrDefault(c => !back.Contains(c));
        if (stuck is not null)
        {
            Console.WriteLine($"e.g. classroom {stuck.Index} not back: on {stuck.MediaNode?.Name ?? "?"}, replacements {stuck.Replacements}, last error {stuck.LastError?.Message ?? "none"}");
        }
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
