using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using LiveClassroom.LoadTests.Cluster;

namespace LiveClassroom.LoadTests.Cascade;

internal sealed partial class CascadeBenchmark
{
    /// <summary>How long a full rejoin is watched: every page and the lead start over on another node.</summary>
    private static readonly TimeSpan OriginRecoveryDeadline = TimeSpan.FromSeconds(150);

    /// <summary>
    /// <c>--kill origin</c>: kill -9 of the class grain's node — the origin (the lead's media node; the grain's node opens
    /// the origin room), which also holds every page's hub connection. Everything of the class starts over: the pages'
    /// connections close and move to the next node (<see cref="PageHub"/>), they join the class there (each join's
    /// snapshot: its resync), the grain activates afresh on a live node once the membership table has marked the origin
    /// dead, the lead publishes again and every classroom renegotiates. Prints when the pages saw their connection
    /// close, when each had joined again (resynced), when each received video again, the grain's time by part and its
    /// state writes, and what the rejoin cost the hub on the live nodes (messages, event copies sent and withheld, the
    /// pool's backlog) and the pages (event messages, events, bytes received, snapshots' bytes).
    /// </summary>
    private async Task KillOriginAsync(BenchNode origin, string classId)
    {
        Console.WriteLine();
        var victim = origin;
        var live = _nodes.Where(n => n != victim).ToList();
        var (owner, _) = await ClassGrainDirectory.OwnerAsync(_connectionString, _clusterId, classId, _nodes);
        var connected = _classrooms.Count(c => c.Connected);
        Console.WriteLine(Invariant($"kill -9 of {victim.Name} (the origin: the class grain, the lead's media, {_classrooms.Count(c => c.Connected && c.MediaNode == victim)} classrooms' media and all {connected} classrooms' hub connections; the grain's directory entry on {owner?.Name ?? "?"}); load average {ClusterBenchmark.LoadAverage()}"));
        Console.WriteLine($"the class's stored state before the kill: {await ClassStateComposition.DescribeAsync(_connectionString, classId)}");
        var keyframesBefore = _teacher!.Sender.KeyframesOnRequest;
        var partsBefore = await NegotiateParts.ReadAsync(live);
        var writesBefore = await StateWrites.ReadAsync(live);
        var hubBefore = await MetricsReading.ReadAsync(live);
        var bytesBefore = CountingWebSocket.Received;
        var snapshotsBefore = CascadeClassroom.SnapshotBytes;
        var resyncsBefore = _classrooms.Sum(c => c.Resyncs);
        var heldBefore = _classrooms.Sum(c => c.HeldForHub);
        var offersBefore = _classrooms.Sum(c => c.Offers);
        var leadOffersBefore = _teacher!.PublishOffers;
        var requestsBefore = new Dictionary<string, int>(CascadeClassroom.Requests);
        var heldEventsBefore = _classrooms.Sum(c => c.HeldEvents);
        var (lag, ownCpuBefore, killedAt) = await KillAsync(victim);
        bool Resynced(CascadeClassroom c) => c.HubMovedAt > killedAt;
        bool Back(CascadeClassroom c) => c.VideoBackAt > killedAt && c.MediaNode != victim && !c.Replacing;
        var (declaredDead, poolQueueMax, ownQueueMax, watched) = await WatchRecoveryAsync(victim, OriginRecoveryDeadline,
            () => _classrooms.Any(c => !Back(c) || !Resynced(c)),
            async () => (await MetricsReading.ReadAsync(live)).GaugeMax("thread_pool_queue_length"));
        var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalSeconds / watched;
        foreach (var c in _classrooms)
        {
            c.Lag = null;
        }
        var hubAfter = await MetricsReading.ReadAsync(live);
        var bytes = CountingWebSocket.Received - bytesBefore;
        var snapshots = CascadeClassroom.SnapshotBytes - snapshotsBefore;
        double Since(long at) => (at - killedAt) / (double)Stopwatch.Frequency;

        Console.WriteLine(Invariant($"watched {watched:F1} s; the membership table marked {victim.Name} dead {(declaredDead is { } d ? $"{d:F1} s" : "not within the watch")} after the kill; load average {ClusterBenchmark.LoadAverage()}"));
        var closed = _classrooms.Where(c => c.HubClosedAt > killedAt).ToList();
        var resynced = _classrooms.Where(Resynced).ToList();
        double? allResynced = resynced.Count == _classrooms.Count ? resynced.Max(c => Since(c.HubMovedAt)) : null;
        Console.WriteLine(Invariant($"hub connections closed on {victim.Name} (after the page's retries there at 0 and 1 s): {closed.Count} of {_classrooms.Count}, {Spread(closed.Select(c => Since(c.HubClosedAt)))} after the kill; starts on another node {_classrooms.Sum(c => c.HubStarts)}"));
        Console.WriteLine(Invariant($"pages joined again on a live node (JoinClass answered: their snapshot, the resync): {resynced.Count} of {_classrooms.Count}, {Spread(resynced.Select(c => Since(c.HubMovedAt)))} after the kill; every page resynced: {(allResynced is { } all ? $"{all:F2} s" : "not within the watch")}; now on {string.Join(", ", live.Select(n => Invariant($"{n.Name} {_classrooms.Count(c => c.HubNode == n)}")))}"));
        Console.WriteLine(Invariant($"the lead: connection closed {(_teacher.HubClosedAt > killedAt ? $"{Since(_teacher.HubClosedAt):F2} s" : "never")}, joined on {_teacher.HubNode.Name} {(_teacher.HubMovedAt > killedAt ? $"{Since(_teacher.HubMovedAt):F2} s" : "never")}, published again on {_teacher.MediaNode?.Name ?? "?"} (the class grain's new node) {(_teacher.RepublishedAt > killedAt ? $"{Since(_teacher.RepublishedAt):F2} s" : "never")} after the kill (last error {_teacher.LastError?.Message ?? "none"}); its last offer sent {Since(_teacher.PublishAskedAt):F2} s, answered {Since(_teacher.PublishAnsweredAt):F2} s; offers sent by the lead in all {_teacher.PublishOffers - leadOffersBefore}; classroom offers sent before the lead's last one {_classrooms.Count(c => c.FirstOfferAfter(killedAt) is > 0 and var t && t < _teacher.PublishAskedAt)}"));
        foreach (var line in live.SelectMany(n => n.RecentOutput).Where(l => l.Contains("Lead's media offer", StringComparison.Ordinal)))
        {
            // The class grain's own account of the lead's offer (Information; the nodes share this process's Stopwatch clock).
            var at = LeadOfferArrived().Match(line);
            Console.WriteLine(Invariant($"  class grain: {(at.Success ? $"arrived {Since(long.Parse(at.Groups[1].Value, CultureInfo.InvariantCulture)):F2} s after the kill; " : "")}{line.Trim()}"));
        }
        var dropped = _classrooms.Count(c => c.DroppedAt > killedAt);
        Console.WriteLine(Invariant($"pages that saw themselves dropped in an event or snapshot and joined again on the same connection: {dropped}; Resyncs after a sequence gap: {_classrooms.Sum(c => c.Resyncs) - resyncsBefore}; events received during a JoinClass, applied after its snapshot: {_classrooms.Sum(c => c.HeldEvents) - heldEventsBefore}"));
        Console.WriteLine(Invariant($"offers held while the page's hub could not carry them (the silence fallback or a retry, renegotiated once after the rejoin): {_classrooms.Sum(c => c.HeldForHub) - heldBefore}; negotiations (offers) sent by the pages: {_classrooms.Sum(c => c.Offers) - offersBefore}; replacements asked for, by reason: {string.Join(", ", CascadeClassroom.Requests.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => Invariant($"{r.Key} {r.Value - requestsBefore.GetValueOrDefault(r.Key)}")))}"));
        var back = _classrooms.Where(Back).ToList();
        Console.WriteLine(Invariant(
            $"video back (first keyframe packet on a fresh peer on a live node) for {back.Count} of {_classrooms.Count} classrooms within {OriginRecoveryDeadline.TotalSeconds:F0} s: {Spread(back.Select(c => Since(c.VideoBackAt)))} after the kill; first replacement because of: the hub's move {_classrooms.Count(c => c.ReplacedBecause == "hub moved")}, the 5.5 s silence {_classrooms.Count(c => c.ReplacedBecause == "silence")}, a rejoin {_classrooms.Count(c => c.ReplacedBecause is "rejoin" or "hub reconnect")}, MediaNodeLost {_classrooms.Count(c => c.ReplacedBecause == "event")}"));
        Console.WriteLine($"now on: {string.Join(", ", live.Select(n => Invariant($"{n.Name} {back.Count(c => c.MediaNode == n)}")))}; keyframes the lead sent on request meanwhile: {_teacher.Sender.KeyframesOnRequest - keyframesBefore}");
        Console.WriteLine($"the class grain meanwhile (time by part, all negotiations of the class): {(await NegotiateParts.ReadAsync(live)).Since(partsBefore)}");
        foreach (var line in (await StateWrites.ReadAsync(live)).Since(writesBefore))
        {
            Console.WriteLine("  " + line);
        }
        Console.WriteLine(Invariant(
            $"per classroom back: its last Negotiate call (offer → answer) {Spread(back.Select(c => c.NegotiateCallTicks / (double)Stopwatch.Frequency))}; answer → keyframe (ICE, DTLS, keyframe) {Spread(back.Select(c => (c.VideoBackAt - c.AnsweredAt) / (double)Stopwatch.Frequency))}; offers per replacement: {string.Join(", ", back.GroupBy(c => c.ReplaceAttempts).OrderBy(g => g.Key).Select(g => Invariant($"{g.Key}: {g.Count()}")))}"));

        double Delta(string name, params string[] labels) => hubAfter.Value(name, labels) - hubBefore.Value(name, labels);
        Console.WriteLine($"the hubs on {string.Join(" and ", live.Select(n => n.Name))} meanwhile (summed):");
        Console.WriteLine($"  Negotiate, the class grain's call: {hubAfter.Histogram("liveclassroom_hub_negotiate_duration_seconds", hubBefore, "part=\"grain\"").Describe()}");
        Console.WriteLine($"  Negotiate, the whole hub method: {hubAfter.Histogram("liveclassroom_hub_negotiate_duration_seconds", hubBefore, "part=\"hub\"").Describe()}");
        Console.WriteLine($"  class event sends, arrival on the node → written to every connection: {hubAfter.Histogram("liveclassroom_rooms_fanout_duration_seconds", hubBefore, "hub=\"class\"").Describe()}");
        var single = Delta("liveclassroom_hub_class_messages_total", "kind=\"event\"");
        var batches = Delta("liveclassroom_hub_class_messages_total", "kind=\"batch\"");
        var copies = Delta("liveclassroom_hub_class_event_copies_total");
        var withheld = Delta("liveclassroom_hub_class_event_copies_withheld_total");
        Console.WriteLine(Invariant($"  messages handed to connections: {single:F0} RoomEvent + {batches:F0} RoomEvents, carrying {copies:F0} event copies; event copies withheld from rural pages (liveclassroom_hub_class_event_copies_withheld_total): {withheld:F0}; thread pool queue (sampled each second, the larger node) max {poolQueueMax:F0}"));
        Console.WriteLine(Invariant($"the pages meanwhile: {lag.Messages} event messages carrying {lag.Events} events ({lag.Events / (double)Math.Max(1, _classrooms.Count):F0} per page); lag from the grain's stamp to handling here: {lag.Describe()}"));
        Console.WriteLine(Invariant($"  bytes received on the pages' hub WebSockets: {bytes / 1e6:F1} MB ({bytes / 1024.0 / Math.Max(1, _classrooms.Count):F0} KB per page), of which snapshots (JoinClass and Resync answers) {snapshots / 1e6:F1} MB; this process used {100 * ownCpu:F0} % CPU, its thread pool queue max {ownQueueMax}, threads {ThreadPool.ThreadCount}"));
        foreach (var n in live)
        {
            var said = n.RecentOutput.Where(l => l.Contains("LocalGrainDirectory is deactivating", StringComparison.Ordinal)
                || l.Contains("have been put under a lease", StringComparison.Ordinal)).ToList();
            Console.WriteLine($"  {n.Name}: {(said.Count == 0 ? "Orleans logged no deactivation for a lost directory partition" : string.Join(" | ", said.Select(l => l.Trim())))}");
        }
        var stuck = _classrooms.FirstOrDefault(c => !Back(c) || !Resynced(c));
        if (stuck is not null)
        {
            Console.WriteLine($"e.g. classroom {stuck.Index} not back: hub on {stuck.HubNode?.Name ?? "?"} (moved: {Resynced(stuck)}), media on {stuck.MediaNode?.Name ?? "?"}, replacements {stuck.Replacements}, rejoins {stuck.Rejoins}, last error {stuck.LastError?.Message ?? "none"}");
        }
    }

    [GeneratedRegex(@"arrived at Stopwatch (\d+)")]
    private static partial Regex LeadOfferArrived();
}
