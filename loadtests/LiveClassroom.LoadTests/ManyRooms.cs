using System.Diagnostics;
using System.Globalization;
using LiveClassroom.Media;
using LiveClassroom.Media.Dtls;

namespace LiveClassroom.LoadTests;

/// <summary>
/// The workers benchmark's second shape (printed after the single-room figures, never instead of them): one node carrying
/// many classes, each with its own publisher and a few dozen subscribers — the common case. Each publisher is one
/// 4-tuple, so the kernel's SO_REUSEPORT hash spreads the rooms' publishers over the workers, and rooms below
/// <see cref="MediaServerOptions.ParallelFanOutMinimum"/> listeners forward on their publisher's worker alone, without
/// splits. Capacity as in the single room: the publishers together offer far more fan-out than the node forwards, the
/// subscribers stop reading (SubscriberPoller still reads each paused socket now and then to stay in SRTP step); one
/// worker against all, two alternating rounds each, best kept.
/// </summary>
internal sealed class ManyRooms : IDisposable
{
    private readonly List<SyntheticPeer> _subscribers = [];
    private readonly List<(MediaRoom Room, SyntheticPeer Peer, Publisher Publisher)> _rooms = [];
    private readonly SubscriberPoller _poller = new("lt-poller");
    private readonly ConsentKeeper _consent;

    private ManyRooms(MediaServer server)
    {
        Server = server;
        _consent = new ConsentKeeper(() => _subscribers.Concat(_rooms.Select(r => r.Peer)));
    }

    public MediaServer Server { get; }

    public int Workers { get; private init; }

    public static void Run(int rooms, int perRoom, int allWorkers, SrtpProtectionProfileId srtp, long offered, int capacitySeconds, int decryptEvery,
        int? receiveBatch, int? fanOutChunks)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"many rooms: {rooms} rooms × (1 publisher → {perRoom} subscribers) on one node, capacity {capacitySeconds} s offered {offered} fan-out pkt/s over all rooms; load average {ForwardingBenchmark.LoadAverage()}"));
        var nodes = new List<ManyRooms>();
        try
        {
            foreach (var workers in allWorkers == 1 ? new[] { 1 } : new[] { 1, allWorkers })
            {
                nodes.Add(Start(workers, rooms, perRoom, srtp, decryptEvery, receiveBatch, fanOutChunks));
            }
            var best = new Dictionary<int, (double Forwarded, double Cpu, double Offered, string Spread, string CpuLine)>();
            for (var round = 0; round < 2; round++)
            {
                foreach (var node in nodes)
                {
                    var other = nodes.FirstOrDefault(n => !ReferenceEquals(n, node));
                    var figures = node.MeasureCapacity(offered, capacitySeconds, other);
                    if (!best.TryGetValue(node.Workers, out var b) || figures.Forwarded > b.Forwarded)
                    {
                        best[node.Workers] = figures;
                    }
                }
            }
            Console.WriteLine("workers | rooms × subs | capacity pkt/s | cap CPU % | cap pkt / CPU-s | offered pkt/s | split | per worker rx (all publishers)");
            foreach (var node in nodes)
            {
                var (forwarded, cpu, offeredRate, spread, _) = best[node.Workers];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{node.Workers,7} | {rooms,5} × {perRoom,4} | {forwarded,14:F0} | {cpu * 100,9:F0} | {forwarded / Math.Max(cpu, 0.01),15:F0} | {offeredRate,13:F0} | {(node.Server.FanOutCounts.Jobs == 0 ? "none" : "some"),5} | {spread}{(forwarded > 0.9 * offeredRate ? "  OFFER-LIMITED" : "")}"));
            }
            foreach (var node in nodes)
            {
                Console.WriteLine($"        CPU, {node.Workers} worker(s), capacity: {best[node.Workers].CpuLine}");
            }
            if (nodes.Count > 1)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"scaling, many rooms (capacity, {allWorkers} workers ÷ 1): {best[allWorkers].Forwarded / Math.Max(1, best[1].Forwarded):F2}×; load average {ForwardingBenchmark.LoadAverage()}"));
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }
    }

    private static ManyRooms Start(int workers, int rooms, int perRoom, SrtpProtectionProfileId srtp, int decryptEvery, int? receiveBatch, int? fanOutChunks)
    {
        var certificate = DtlsCertificate.Generate("loadtest-rooms");
        var node = new ManyRooms(new MediaServer(BenchRoom.ServerOptions(srtp, workers, receiveBatch, fanOutChunks))) { Workers = workers };
        try
        {
            for (var r = 0; r < rooms; r++)
            {
                var room = node.Server.CreateRoom($"class{r}");
                room.AutoRoute = true;
                var peer = new SyntheticPeer(certificate, node.Server.LocalEndPoint, 16);
                peer.Connect(room.Negotiate("publisher", peer.Offer(true, Publisher.AudioSsrc, Publisher.VideoSsrc, Publisher.RtxSsrc)), srtp);
                node._rooms.Add((room, peer, new Publisher(peer, 1_200_000, 65_000)));
                var added = new SyntheticPeer[perRoom];
                Parallel.For(0, perRoom, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
                {
                    added[i] = new SyntheticPeer(certificate, node.Server.LocalEndPoint, 64) { DecryptEvery = decryptEvery };
                    added[i].Connect(room.Negotiate($"s{i}", added[i].Offer(false, 0, 0, 0)), srtp);
                });
                node._subscribers.AddRange(added);
                BenchRoom.WaitUntil(() => room.GetStats().All(s => s.State == "connected"), TimeSpan.FromSeconds(30));
                node._poller.Adopt(added);
            }
            // Real rate until every subscriber has video (a keyframe each 2 s), then the node is warm.
            node.RunPublishers(1_200_000, 30, () => node._subscribers.All(s => s.VideoArrivals > 0), TimeSpan.FromSeconds(20));
            return node;
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    /// <summary>Runs every publisher at the rate until the condition holds (or the timeout passes); false if it never held.</summary>
    private bool RunPublishers(long videoBps, int framesPerSecond, Func<bool> until, TimeSpan timeout)
    {
        using var stop = new CancellationTokenSource();
        var senders = new List<Thread>();
        foreach (var (_, _, publisher) in _rooms)
        {
            publisher.SetRate(videoBps, framesPerSecond);
            senders.Add(BenchRoom.StartSending(publisher, stop.Token));
        }
        var clock = Stopwatch.StartNew();
        var held = until();
        while (!held && clock.Elapsed < timeout)
        {
            _consent.Hold(TimeSpan.FromMilliseconds(100));
            held = until();
        }
        stop.Cancel();
        foreach (var sender in senders)
        {
            sender.Join();
        }
        return held;
    }

    private long Forwarded()
    {
        long sum = 0;
        foreach (var (room, _, _) in _rooms)
        {
            foreach (var s in room.GetStats())
            {
                sum += s.PacketsForwarded;
            }
        }
        return sum;
    }

    private long Sent() => _rooms.Sum(r => r.Publisher.PacketsSent);

    private (double Forwarded, double Cpu, double Offered, string Spread, string CpuLine) MeasureCapacity(long offered, int seconds, ManyRooms? other)
    {
        foreach (var s in _subscribers)
        {
            s.PauseReceiving();
        }
        var publisherPps = (int)Math.Clamp(offered / Math.Max(1, _subscribers.Count), 100, ForwardingBenchmark.MaxPublisherPps);
        using var stop = new CancellationTokenSource();
        var senders = new List<Thread>();
        foreach (var (_, _, publisher) in _rooms)
        {
            publisher.SetRate(Math.Max(100_000, (publisherPps - 50) * 8_000L), 250);
            senders.Add(BenchRoom.StartSending(publisher, stop.Token));
        }
        _consent.Hold(TimeSpan.FromSeconds(1));
        var forwardedBefore = Forwarded();
        var sentBefore = Sent();
        var cpuBefore = Server.PacketThreadCpu;
        var workerBefore = Server.WorkerPacketCounts().ToArray();
        var accountBefore = CpuAccount.Take();
        var wall = Stopwatch.StartNew();
        _consent.Hold(TimeSpan.FromSeconds(seconds));
        var elapsed = wall.Elapsed.TotalSeconds;
        var cpuLine = CpuAccount.Take().Describe(accountBefore, Groups(other));
        var forwarded = Forwarded() - forwardedBefore;
        var cpu = (Server.PacketThreadCpu - cpuBefore).TotalSeconds;
        var sent = Sent() - sentBefore;
        var spread = string.Join('/', Server.WorkerPacketCounts().Select((c, i) => (c - workerBefore[i]).ToString(CultureInfo.InvariantCulture)));
        stop.Cancel();
        foreach (var sender in senders)
        {
            sender.Join();
        }
        // Let the backlog go before the other node's round, then resume and put every subscriber back in step.
        var last = Forwarded();
        for (var i = 0; i < 80; i++)
        {
            _consent.Hold(TimeSpan.FromMilliseconds(250));
            var now = Forwarded();
            if (now == last)
            {
                break;
            }
            last = now;
        }
        foreach (var s in _subscribers)
        {
            s.ResumeReceiving();
        }
        var before = _subscribers.Select(s => s.DecryptedVideo).ToArray();
        RunPublishers(1_200_000, 30, () => _subscribers.Select((s, i) => s.DecryptedVideo > before[i]).All(b => b), TimeSpan.FromSeconds(5));
        return (forwarded / elapsed, cpu / elapsed, (double)sent * _subscribers.Count / _rooms.Count / elapsed, spread, cpuLine);
    }

    private List<(string, Func<int, string, bool>)> Groups(ManyRooms? other)
    {
        var groups = new List<(string, Func<int, string, bool>)>();
        foreach (var tid in Server.PacketThreadIds.Order())
        {
            groups.Add(($"packet thread {tid.ToString(CultureInfo.InvariantCulture)}", (t, _) => t == tid));
        }
        var otherIds = other?.Server.PacketThreadIds.ToHashSet() ?? [];
        groups.Add(("other SFU's packet threads", (t, _) => otherIds.Contains(t)));
        groups.Add(("generator: publishers", (_, name) => name == "lt-publisher"));
        groups.Add(("subscribers", (_, name) => name is "lt-peer" or "lt-poller"));
        groups.Add(("runtime", (_, name) => name.StartsWith(".NET", StringComparison.Ordinal)));
        return groups;
    }

    public void Dispose()
    {
        _poller.Dispose();
        foreach (var s in _subscribers)
        {
            s.Dispose();
        }
        foreach (var (_, peer, _) in _rooms)
        {
            peer.Dispose();
        }
        Server.Dispose();
    }
}
