using System.Diagnostics;
using LiveClassroom.LoadTests.Cluster;
using Npgsql;

namespace LiveClassroom.LoadTests.Cascade;

internal sealed partial class CascadeBenchmark
{
    /// <summary>Seconds to keep watching after the cluster marked the killed node dead: a class grain deactivated then activates again and tells the pages within a subscription renewal.</summary>
    private static readonly TimeSpan AfterDeclaredDead = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Which edge to kill. The class grain lives on the origin (its node opens the origin room, and the lead is always
    /// placed there), so an edge never hosts it; but one node holds the grain's directory entry
    /// (<see cref="ClassGrainDirectory"/>), and with Orleans' default directory that node's death took the grain down.
    /// "edge" (default): the edge with the most classrooms that does not hold the entry. "directory": the edge that
    /// holds it — with the distributed directory the grain is expected to stay up there too (impossible when the entry
    /// is on the origin: then as "edge").
    /// </summary>
    private async Task<(BenchNode Victim, bool HoldsEntry)> ChooseVictimAsync(BenchNode origin, string classId)
    {
        var (owner, ownerBefore) = await ClassGrainDirectory.OwnerAsync(_connectionString, _clusterId, classId, _nodes);
        var edges = _nodes.Where(n => n != origin)
            .OrderByDescending(n => _classrooms.Count(c => c.Connected && c.MediaNode == n)).ToList();
        Console.WriteLine($"the class grain: on {origin.Name} (the lead's media node: the grain's node opens the origin room); its Orleans directory entry on {owner?.Name ?? "?"} (DistributedGrainDirectory's ring over the membership table; Orleans' default LocalGrainDirectory would have put it on {ownerBefore?.Name ?? "?"})");
        if (KillMode == "directory")
        {
            if (owner is not null && owner != origin)
            {
                return (owner, true);
            }
            Console.WriteLine("--kill directory: the directory entry is on the origin, so no edge holds it in this run; killing an edge instead (run again: the ring changes with every start)");
        }
        return (edges.First(n => n != owner), false);
    }

    /// <summary>
    /// kill -9 of the chosen edge; then, per classroom that was on it or that the class counted dropped afterwards, the
    /// time from the kill until a peer made after its last replacement request received the first packet of a video
    /// keyframe from a live node. Watches at least until the membership table marks the node dead plus
    /// <see cref="AfterDeclaredDead"/>, so a class grain lost with the node's directory entry cannot go unseen.
    /// </summary>
    private async Task KillEdgeAsync(BenchNode origin, string classId)
    {
        Console.WriteLine();
        var (victim, holdsEntry) = await ChooseVictimAsync(origin, classId);
        var orphans = _classrooms.Where(c => c.Connected && c.MediaNode == victim).ToList();
        if (orphans.Count == 0)
        {
            Console.WriteLine("no classroom on that edge: nothing to kill (raise --classrooms or lower --capacity)");
            return;
        }
        Console.WriteLine(Invariant($"kill -9 of {victim.Name} (edge, {orphans.Count} classrooms; {(holdsEntry ? "holds the class grain's directory entry, not the grain: the grain is expected to stay up (with Orleans' default directory it activated again and every page rejoined)" : "not the class grain's node nor its directory entry's: the grain is expected to stay up")}); load average {ClusterBenchmark.LoadAverage()}"));
        Console.WriteLine($"the class's stored state before the kill: {await ClassStateComposition.DescribeAsync(_connectionString, classId)}");
        var keyframesBefore = _teacher!.Sender.KeyframesOnRequest;
        var teacherRejoinsBefore = _teacher.Rejoins;
        var partsBefore = await NegotiateParts.ReadAsync(_nodes);
        var writesBefore = await StateWrites.ReadAsync(_nodes);
        var hubBefore = await MetricsReading.ReadAsync(origin);
        var requestsBefore = new Dictionary<string, int>(CascadeClassroom.Requests);
        var (lag, ownCpuBefore, killedAt) = await KillAsync(victim);
        bool Back(CascadeClassroom c) => c.VideoBackAt > killedAt && c.MediaNode != victim && !c.Replacing;
        List<CascadeClassroom> Affected() => [.. _classrooms.Where(c => orphans.Contains(c) || c.DroppedAt > killedAt)];
        // The origin's thread pool backlog: work items waiting for a thread (hub receive loops, grain turns, sends).
        var (declaredDead, poolQueueMax, ownQueueMax, moveSeconds) = await WatchRecoveryAsync(victim, RecoveryDeadline,
            () => Affected().Any(c => !Back(c)), async () => (await MetricsReading.ReadAsync(origin)).Gauge("thread_pool_queue_length"));
        var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalSeconds / moveSeconds;
        foreach (var c in _classrooms)
        {
            c.Lag = null;
        }
        var hubAfter = await MetricsReading.ReadAsync(origin);
        var affected = Affected();
        var dropped = _classrooms.Where(c => c.DroppedAt > killedAt).ToList();
        var back = affected.Where(Back).ToList();
        double Since(long at) => (at - killedAt) / (double)Stopwatch.Frequency;
        Console.WriteLine(Invariant($"the membership table marked {victim.Name} dead {(declaredDead is { } d ? $"{d:F1} s" : "not within the watch")} after the kill"));
        Console.WriteLine(Invariant($"classrooms the class counted dropped afterwards (a fresh activation of its grain; they joined again): {dropped.Count} of {_classrooms.Count}{(dropped.Count == 0 ? "" : $": saw it {Spread(dropped.Select(c => Since(c.DroppedAt)))}; their JoinClass answered {Spread(dropped.Where(c => c.RejoinedAt > killedAt).Select(c => Since(c.RejoinedAt)))}")}; Resyncs after a sequence gap: {_classrooms.Sum(c => c.Resyncs)}"));
        if (_teacher.Rejoins > teacherRejoinsBefore)
        {
            Console.WriteLine(Invariant($"the teacher joined again and published on {_teacher.MediaNode?.Name ?? "?"} {(_teacher.RepublishedAt > killedAt ? $"{Since(_teacher.RepublishedAt):F2} s" : "never")} after the kill (last error {_teacher.LastError?.Message ?? "none"})"));
        }
        var times = back.Select(c => Since(c.VideoBackAt)).ToList();
        Console.WriteLine(Invariant(
            $"video back (first keyframe packet on a fresh peer on a live node) for {back.Count} of {affected.Count} classrooms ({orphans.Count} on {victim.Name}, {affected.Count - orphans.Count} elsewhere but dropped) within {RecoveryDeadline.TotalSeconds:F0} s: {Spread(times)} after the kill"));
        var orphanTimes = back.Where(orphans.Contains).Select(c => Since(c.VideoBackAt)).ToList();
        if (orphanTimes.Count != times.Count)
        {
            Console.WriteLine(Invariant($"  of which the {orphans.Count} on {victim.Name}: back {orphanTimes.Count}, {Spread(orphanTimes)}"));
        }
        var told = orphans.Where(c => c.NodeLostEventAt > killedAt).Select(c => Since(c.NodeLostEventAt)).ToList();
        Console.WriteLine(Invariant(
            $"MediaNodeLost reached {told.Count} of the {orphans.Count}: {Spread(told)} after the kill; first replacement because of it: {affected.Count(c => c.ReplacedBecause == "event")}, the 5.5 s silence fallback: {affected.Count(c => c.ReplacedBecause == "silence")}, a rejoin: {affected.Count(c => c.ReplacedBecause is "rejoin" or "hub reconnect")}; ignored as older than the peer's answer (issue #17): {affected.Sum(c => c.StaleLosses)}"));
        Console.WriteLine($"now on: {string.Join(", ", _nodes.Where(n => n != victim).Select(n => Invariant($"{n.Name} {back.Count(c => c.MediaNode == n)}")))}; keyframes the teacher sent on request meanwhile: {_teacher.Sender.KeyframesOnRequest - keyframesBefore}");
        var live = _nodes.Where(n => n != victim).ToList();
        Console.WriteLine($"the class grain meanwhile (time by part, all negotiations of the class): {(await NegotiateParts.ReadAsync(live)).Since(partsBefore)}");
        foreach (var line in (await StateWrites.ReadAsync(live)).Since(writesBefore))
        {
            Console.WriteLine("  " + line);
        }
        var calls = back.Select(c => c.NegotiateCallTicks / (double)Stopwatch.Frequency).ToList();
        var answerToVideo = back.Select(c => (c.VideoBackAt - c.AnsweredAt) / (double)Stopwatch.Frequency).ToList();
        Console.WriteLine(Invariant(
            $"per classroom back: its last Negotiate call (offer → answer) {Spread(calls)}; answer → keyframe (ICE, DTLS, keyframe) {Spread(answerToVideo)}; offers per replacement: {string.Join(", ", back.GroupBy(c => c.ReplaceAttempts).OrderBy(g => g.Key).Select(g => Invariant($"{g.Key}: {g.Count()}")))}"));
        var reoffers = affected.SelectMany(c => c.Reoffers).ToList();
        Console.WriteLine(Invariant($"offers sent again ({reoffers.Count}; {victim.Name} was killed), by why the offer before did not end its replacement: {(reoffers.Count == 0 ? "none" : string.Join("; ", reoffers.GroupBy(r => r.Why).OrderByDescending(g => g.Count()).Take(8).Select(g => Invariant($"{g.Count()} × {g.Key} [{Spread(g.Select(r => Since(r.At)))} after the kill]"))))}"));
        Console.WriteLine(Invariant($"replacements asked for since the kill, by reason: {string.Join(", ", CascadeClassroom.Requests.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => Invariant($"{r.Key} {r.Value - requestsBefore.GetValueOrDefault(r.Key)}")))}"));
        PrintHubSide(origin, hubBefore, hubAfter, lag, back, moveSeconds, ownCpu, poolQueueMax);
        Console.WriteLine(Invariant($"  this process's thread pool queue (sampled each second) max {ownQueueMax}, threads {ThreadPool.ThreadCount}"));
        // Orleans' own word (information level) on each live node: which activations it deactivated with the dead directory partition.
        foreach (var n in live)
        {
            var said = n.RecentOutput.Where(l => l.Contains("LocalGrainDirectory is deactivating", StringComparison.Ordinal)
                || l.Contains("have been put under a lease", StringComparison.Ordinal)).ToList();
            Console.WriteLine($"  {n.Name}: {(said.Count == 0 ? "Orleans deactivated no activation for a lost directory partition" : string.Join(" | ", said.Select(l => l.Trim())))}");
        }
        var stuck = affected.FirstOrDefault(c => !back.Contains(c));
        if (stuck is not null)
        {
            Console.WriteLine($"e.g. classroom {stuck.Index} not back: on {stuck.MediaNode?.Name ?? "?"}, replacements {stuck.Replacements}, rejoins {stuck.Rejoins}, last error {stuck.LastError?.Message ?? "none"}");
        }
    }

    /// <summary>Whether the cluster's membership table has marked the node dead (Orleans' SiloStatus.Dead = 6).</summary>
    /// <summary>
    /// Kills <paramref name="victim"/> with every classroom's recovery marks cleared and one event-lag account attached;
    /// returns that account, this process's CPU time before and the moment of the kill.
    /// </summary>
    private async Task<(EventLag Lag, TimeSpan OwnCpuBefore, long KilledAt)> KillAsync(BenchNode victim)
    {
        var lag = new EventLag();
        foreach (var c in _classrooms)
        {
            c.ResetRecovery();
            c.Lag = lag;
        }
        var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var killedAt = Stopwatch.GetTimestamp();
        await victim.KillAsync();
        return (lag, ownCpuBefore, killedAt);
    }

    /// <summary>What a kill's recovery watch saw: when the membership table marked the victim dead (seconds after the
    /// kill), the largest thread-pool backlog read on the live side and in this process, and how long it watched.</summary>
    private sealed record RecoveryWatch(double? DeclaredDead, double PoolQueueMax, long OwnQueueMax, double Watched);

    /// <summary>
    /// Watches a kill's recovery while <paramref name="pending"/> holds, at most <paramref name="limit"/> and at least
    /// <see cref="AfterDeclaredDead"/> past the victim's death in the membership table; once a second it reads the
    /// live side's thread-pool backlog (<paramref name="poolQueue"/>; NaN when unread) and this process's own (where the
    /// classrooms' hub connections are handled).
    /// </summary>
    private async Task<RecoveryWatch> WatchRecoveryAsync(BenchNode victim, TimeSpan limit, Func<bool> pending, Func<Task<double>> poolQueue)
    {
        var watch = Stopwatch.StartNew();
        var poolQueueMax = 0.0;
        var ownQueueMax = 0L;
        var nextSample = TimeSpan.Zero;
        double? declaredDead = null;
        while (watch.Elapsed < limit
            && (pending() || declaredDead is not { } dead || watch.Elapsed.TotalSeconds < dead + AfterDeclaredDead.TotalSeconds))
        {
            if (watch.Elapsed >= nextSample)
            {
                nextSample = watch.Elapsed + TimeSpan.FromSeconds(1);
                var queue = await poolQueue();
                poolQueueMax = double.IsNaN(queue) ? poolQueueMax : Math.Max(poolQueueMax, queue);
                ownQueueMax = Math.Max(ownQueueMax, ThreadPool.PendingWorkItemCount);
                if (declaredDead is null && await IsDeclaredDeadAsync(victim))
                {
                    declaredDead = watch.Elapsed.TotalSeconds;
                }
            }
            await Task.Delay(100);
        }
        return new RecoveryWatch(declaredDead, poolQueueMax, ownQueueMax, watch.Elapsed.TotalSeconds);
    }

    private async Task<bool> IsDeclaredDeadAsync(BenchNode node)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @cluster AND port = @port AND status = 6", connection);
        command.Parameters.AddWithValue("cluster", _clusterId);
        command.Parameters.AddWithValue("port", node.SiloPort);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    /// <summary>"first a s, p50 b s, p90 c s, max d s" of seconds, or "none".</summary>
    private static string Spread(IEnumerable<double> seconds)
    {
        var list = seconds.OrderBy(t => t).ToList();
        if (list.Count == 0)
        {
            return "none";
        }
        double At(double p) => list[Math.Min(list.Count - 1, (int)(p * list.Count))];
        return Invariant($"first {list[0]:F2} s, p50 {At(0.5):F2} s, p90 {At(0.9):F2} s, max {list[^1]:F2} s");
    }
}
