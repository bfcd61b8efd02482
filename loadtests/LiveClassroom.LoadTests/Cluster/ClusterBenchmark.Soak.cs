using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Npgsql;

namespace LiveClassroom.LoadTests.Cluster;

internal sealed partial class ClusterBenchmark
{
    private readonly HandTracker _hands = new();

    /// <summary>
    /// The hub at scale: every connection of every class stays joined for <see cref="SoakSeconds"/> while each class
    /// sees a class's usual traffic — every <see cref="EventIntervalMs"/> a chat message from the teacher (alternately
    /// from a connection on each node) and, a quarter interval later, a rural classroom raising its hand (its projector,
    /// round the classrooms), lowered half an interval after that: three events per interval per class, each delivered to all its connections.
    /// Printed: hand raise → each lead-teacher connection of the class sees it; chat send → every connection has it;
    /// errors (failed hub calls, connections closed, deliveries missing after 10 s, events twice, seq gaps); the nodes'
    /// grain state writes during the soak (count, ms and bytes per write, by row kind) and the classes' stored rows'
    /// sizes at its end; the server processes' resident memory sampled every 5 s.
    /// </summary>
    private async Task SoakAsync()
    {
        foreach (var c in _allClients)
        {
            c.ResetCounters();
            c.OnHand = _hands.OnHand;
        }
        var handLatency = new Latency();
        var chatLatency = new Latency();
        var lastDelivery = new Latency();
        var raiseAnswered = new Latency();
        var stats = new SoakStats();
        var memory = _nodes.Select(_ => new List<double>()).ToArray();
        var closesBefore = _allClients.Sum(c => c.Closes);
        var writesBefore = await StateWrites.ReadAsync(_nodes);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(SoakSeconds));
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                for (var n = 0; n < _nodes.Count; n++)
                {
                    if (_nodes[n].RssMegabytes() is { } mb)
                    {
                        memory[n].Add(mb);
                    }
                }
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // The soak is over.
                }
            }
        });
        Console.WriteLine();
        Console.WriteLine(Invariant($"Soak: {_allClients.Count} connections in {_classes.Count} class(es), {SoakSeconds} s; per class every {EventIntervalMs} ms a chat message, {EventIntervalMs / 4} ms later a hand raised (lowered {EventIntervalMs / 2} ms after); load average {LoadAverage()}"));
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(_classes.Select((k, i) => SoakClassAsync(i, k, [.. _allClients.Where(c => c.ClassId == k.ClassId)], handLatency, chatLatency,
            lastDelivery, raiseAnswered, stats, stop.Token)));
        await sampler;
        var closes = _allClients.Sum(c => c.Closes) - closesBefore;
        Console.WriteLine(Invariant($"ran {wall.Elapsed.TotalSeconds:F0} s; load average at the end {LoadAverage()}"));
        Console.WriteLine($"{"measure",-62} |   count |   p50 ms |   p99 ms |   max ms");
        Console.WriteLine($"{"hand raised → each lead-teacher connection of the class sees it",-62} | {handLatency.Row()}");
        Console.WriteLine($"{"RaiseHand answered (hub → grain → state written → answer)",-62} | {raiseAnswered.Row()}");
        Console.WriteLine($"{"chat sent → each connection of the class has it (fan-out)",-62} | {chatLatency.Row()}");
        Console.WriteLine($"{"chat sent → the last connection of the class has it",-62} | {lastDelivery.Row()}");
        Console.WriteLine(Invariant($"events sent: {stats.Chats} chat messages, {stats.Raises} hands raised and lowered; deliveries: {chatLatency.Count + handLatency.Count}"));
        Console.WriteLine(Invariant($"errors: hub calls failed {stats.Failed}{(stats.FirstError is null ? "" : $" (first: {stats.FirstError})")}, connections closed {closes}, chat deliveries missing after 10 s {stats.MissingChats}, hand raises not seen by every lead after 10 s {stats.MissingHands}, events twice {_allClients.Sum(c => c.DuplicateEvents)}, seq gaps {_allClients.Sum(c => c.Gaps)}"));
        foreach (var line in (await StateWrites.ReadAsync(_nodes)).Since(writesBefore))
        {
            Console.WriteLine(line);
        }
        Console.WriteLine(await StoredClassStatesAsync());
        for (var n = 0; n < _nodes.Count; n++)
        {
            var m = memory[n];
            Console.WriteLine(m.Count == 0
                ? $"{_nodes[n].Name}: no memory sample"
                : Invariant($"{_nodes[n].Name} resident memory (VmRSS): start {m[0]:F0} MiB, end {m[^1]:F0} MiB, max {m.Max():F0} MiB ({m.Count} samples)"));
        }
    }

    /// <summary>The classes' stored rows now (the chat history full after 200 messages): their JSON sizes, by row kind.</summary>
    private async Task<string> StoredClassStatesAsync()
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_admin) { Database = _database }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT kind, count(*), max(octet_length(state::text)) FROM grain_state WHERE kind LIKE 'classroom%' AND state IS NOT NULL GROUP BY kind ORDER BY kind",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(Invariant($"{reader.GetString(0)} {reader.GetInt64(1)} row(s), largest {reader.GetInt32(2)} bytes"));
        }
        return "stored class state (grain_state, JSON text): " + string.Join("; ", rows);
    }

    private async Task SoakClassAsync(int index, BenchClass k, List<ClassClient> clients, Latency handLatency, Latency chatLatency, Latency lastDelivery,
        Latency raiseAnswered, SoakStats stats, CancellationToken stop)
    {
        var teachers = _nodes.Select(n => clients.First(c => c.Node == n && c.Identity.Label == "teacher")).ToArray();
        var leads = clients.Count(c => c.Identity.Label == "teacher");
        var devices = clients.Where(c => c.Identity.ClassroomId is not null).GroupBy(c => c.Identity.ClassroomId!).Select(g => g.First()).ToArray();
        var pending = new List<Task>();
        var interval = TimeSpan.FromMilliseconds(EventIntervalMs);
        var next = Stopwatch.GetTimestamp();
        for (var tick = 0; !stop.IsCancellationRequested; tick++)
        {
            // Unique per class and tick: the tracker keys messages by their text.
            var text = Invariant($"soak class {index} tick {tick}");
            var sent = _chats.Begin(text, clients.Count, _nodes[0], chatLatency, chatLatency);
            pending.Add(CallAsync(teachers[tick % teachers.Length], "SendChat", [k.ClassId, text, false], stats, () => Interlocked.Increment(ref stats.Chats))
                .ContinueWith(async _ => await WatchAsync(sent.AllDelivered, () =>
                {
                    Interlocked.Add(ref stats.MissingChats, clients.Count - sent.Count);
                }, () => lastDelivery.Record(sent.At, sent.AllDeliveredAt))).Unwrap());
            // A quarter interval after the chat, so the raise does not queue behind the chat's turn in the same grain.
            var device = devices[tick % devices.Length];
            pending.Add(Task.Delay(interval / 4).ContinueWith(_ =>
            {
                var raise = _hands.Begin(k.ClassId, device.Identity.ClassroomId!, leads, handLatency, Stopwatch.GetTimestamp());
                return RaiseAndLowerAsync(k, device, raise, interval / 2, raiseAnswered, stats);
            }, TaskScheduler.Default).Unwrap());
            next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
            var wait = TimeSpan.FromSeconds((next - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            pending.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(pending);
    }

    private async Task RaiseAndLowerAsync(BenchClass k, ClassClient device, HandTracker.Raise raise, TimeSpan hold, Latency answered, SoakStats stats)
    {
        var start = Stopwatch.GetTimestamp();
        await CallAsync(device, "RaiseHand", [k.ClassId], stats, () =>
        {
            answered.Record(start, Stopwatch.GetTimestamp());
            Interlocked.Increment(ref stats.Raises);
        });
        await Task.Delay(hold);
        await WatchAsync(raise.AllSeen, () => Interlocked.Increment(ref stats.MissingHands), () => { });
        _hands.End(k.ClassId, device.Identity.ClassroomId!);
        await CallAsync(device, "LowerHand", [k.ClassId], stats, () => { });
    }

    private static async Task CallAsync(ClassClient client, string method, object?[] args, SoakStats stats, Action done)
    {
        try
        {
            await client.InvokeAsync(method, args, CancellationToken.None).WaitAsync(CallTimeout);
            done();
        }
        catch (Exception ex) when (ex is HubException or TimeoutException or InvalidOperationException or IOException)
        {
            Interlocked.Increment(ref stats.Failed);
            stats.FirstError ??= $"{method}: {ex.GetType().Name} {ex.Message}";
        }
    }

    /// <summary>Waits up to 10 s for <paramref name="all"/>; then <paramref name="missing"/> or <paramref name="complete"/>.</summary>
    private static async Task WatchAsync(Task all, Action missing, Action complete)
    {
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(10))) == all)
        {
            complete();
        }
        else
        {
            missing();
        }
    }

    private sealed class SoakStats
    {
        public long Chats;
        public long Raises;
        public long Failed;
        public long MissingChats;
        public long MissingHands;
        public string? FirstError;
    }
}
