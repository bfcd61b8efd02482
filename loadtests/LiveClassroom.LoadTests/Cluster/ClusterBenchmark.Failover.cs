using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.LoadTests.Cluster;

internal sealed partial class ClusterBenchmark
{
    private static readonly TimeSpan FailoverDeadline = TimeSpan.FromSeconds(90);

    private sealed record FailoverResult(
        string Failure, string HostName, double Served, double Rejoined, double AllEvents, int Moved, int Expected, int Gaps, int Duplicates);

    /// <summary>
    /// kill -9 of the node hosting the class, then (after that node is started again and its connections are back on
    /// it) SIGSTOP of the node hosting it then. Measured from the signal, as the clients see it: when a <c>Resync</c>
    /// from a connection on the surviving node first succeeds (the class is served again: the hub waits and retries
    /// while the class moves); when the last of the connections that were on the failed node has joined the class on
    /// the survivor (they find out the way the web client does: a reset socket at once, a hung node after 10 s of
    /// silence); and when a chat message (sent every 200 ms from a connection on the survivor) has reached every
    /// connection again.
    /// </summary>
    private async Task MeasureFailoversAsync(BenchNode host)
    {
        var results = new List<FailoverResult>();
        var killed = await FailOverAsync(host, hang: false);
        results.Add(killed);

        var restarted = _nodes.Single(n => n.Name == killed.HostName);
        var clock = Stopwatch.StartNew();
        await restarted.StartAsync(StartTimeout);
        // Back to 250 + 250: the connections that moved go home to the restarted node.
        using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            using var gate = new SemaphoreSlim(16);
            // The killed node was the class's first node: the even connections' home.
            var home = _clients.Where(c => c.Index % 2 == 0).ToList();
            await Task.WhenAll(home.Select(async c =>
            {
                await gate.WaitAsync(budget.Token);
                try
                {
                    await c.MoveToAsync(restarted, budget.Token);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        var hostNow = await HostingNodeAsync(TimeSpan.FromSeconds(30));
        Console.WriteLine();
        Console.WriteLine(Invariant($"{restarted.Name} started again and {Connections / 2} connections moved back to it in {clock.Elapsed.TotalSeconds:F1} s; the class is on {hostNow.Name}"));
        results.Add(await FailOverAsync(hostNow, hang: true));

        Console.WriteLine();
        Console.WriteLine("Failover of the node hosting the class (seconds from the signal; clients as the web client behaves):");
        Console.WriteLine($"{"failure",-28} | {"class served again",18} | {"moved connections rejoined",26} | {"events reach all again",22} |   moved | seq gaps | events twice");
        foreach (var r in results)
        {
            Console.WriteLine(Invariant($"{r.Failure,-28} | {r.Served,18:F2} | {r.Rejoined,26:F2} | {r.AllEvents,22:F2} | {$"{r.Moved}/{r.Expected}",7} | {r.Gaps,8} | {r.Duplicates,12}"));
        }
        Console.WriteLine("class served again: first Resync answered on a survivor connection; moved connections rejoined: the last JoinClass of the connections on the failed node answered on the survivor; events reach all again: the last delivery of the first chat message (sent every 200 ms on the survivor) that reached every connection");
    }

    private async Task<FailoverResult> FailOverAsync(BenchNode host, bool hang)
    {
        var survivor = Other(host);
        var prober = FirstOn(survivor, "teacher");
        var chatter = FirstOn(survivor, "teacher", skip: 1);
        var onHost = _clients.Where(c => c.Node == host).ToList();
        foreach (var c in _clients)
        {
            c.ResetCounters();
        }
        using var budget = new CancellationTokenSource(FailoverDeadline);
        var failedAt = Stopwatch.GetTimestamp();
        if (hang)
        {
            await host.PauseAsync();
        }
        else
        {
            await host.KillAsync();
        }
        var served = ServedAgainAsync(prober, budget.Token);
        var allEvents = EventsReachAllAsync(chatter, host, hang ? "hung" : "killed", budget.Token);
        double rejoined;
        try
        {
            while (onHost.Any(c => c.Node != survivor || !c.Connected || c.JoinedAt < failedAt))
            {
                await Task.Delay(50, budget.Token);
            }
            rejoined = Seconds(failedAt, onHost.Max(c => c.JoinedAt));
        }
        catch (OperationCanceledException)
        {
            rejoined = double.NaN;
            var stuck = onHost.First(c => c.Node != survivor || !c.Connected || c.JoinedAt < failedAt);
            Console.WriteLine($"not every connection rejoined within {FailoverDeadline.TotalSeconds:0} s, e.g. #{stuck.Index}: {stuck.LastError?.Message}");
        }
        var servedAt = await served;
        var allAt = await allEvents;
        var moved = onHost.Count(c => c.Node == survivor && c.JoinedAt >= failedAt);
        return new FailoverResult(
            hang ? $"SIGSTOP of {host.Name}" : $"kill -9 of {host.Name}", host.Name,
            servedAt == 0 ? double.NaN : Seconds(failedAt, servedAt), rejoined, allAt == 0 ? double.NaN : Seconds(failedAt, allAt),
            moved, onHost.Count, _clients.Sum(c => c.Gaps), _clients.Sum(c => c.DuplicateEvents));
    }

    /// <summary>Resync from a connection on the survivor until one is answered; returns when (Stopwatch timestamp), 0 if none.</summary>
    private async Task<long> ServedAgainAsync(ClassClient prober, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using var call = CancellationTokenSource.CreateLinkedTokenSource(ct);
                call.CancelAfter(CallTimeout);
                await prober.InvokeAsync("Resync", [_class.ClassId], call.Token);
                return Stopwatch.GetTimestamp();
            }
            catch (Exception ex) when (ex is HubException or TimeoutException or OperationCanceledException)
            {
                await Task.Delay(100, CancellationToken.None);
            }
        }
        return 0;
    }

    /// <summary>
    /// A chat message every 200 ms from a connection on the survivor (each send awaited) until one has reached every
    /// connection; returns when its last delivery arrived (Stopwatch timestamp), 0 if none did before the deadline.
    /// </summary>
    private async Task<long> EventsReachAllAsync(ClassClient chatter, BenchNode failed, string tag, CancellationToken ct)
    {
        var sent = new List<ChatTracker.Sent>();
        var survivor = Other(failed);
        for (var n = 0; !ct.IsCancellationRequested; n++)
        {
            if (sent.FirstOrDefault(s => s.AllDeliveredAt != 0) is { } first)
            {
                return first.AllDeliveredAt;
            }
            var text = $"after {tag} {n}";
            var message = _chats.Begin(text, _clients.Count, survivor, null, null);
            try
            {
                using var call = CancellationTokenSource.CreateLinkedTokenSource(ct);
                call.CancelAfter(CallTimeout);
                await chatter.InvokeAsync("SendChat", [_class.ClassId, text, false], call.Token);
                sent.Add(message);
            }
            catch (Exception ex) when (ex is HubException or TimeoutException or OperationCanceledException)
            {
                // Not stored (unavailable while the class moves): this text never arrives anywhere.
            }
            try
            {
                await Task.Delay(200, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return sent.FirstOrDefault(s => s.AllDeliveredAt != 0)?.AllDeliveredAt ?? 0;
    }
}
