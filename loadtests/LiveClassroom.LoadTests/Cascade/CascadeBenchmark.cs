using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using LiveClassroom.LoadTests.Cluster;
using LiveClassroom.Media.Dtls;
using Npgsql;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// One class across three server processes (issue #17's cascade proof; docs/BENCHMARKS-CASCADE.md). Three real nodes on
/// loopback as one Orleans cluster on one PostgreSQL, each SFU given a small capacity (Media__NodeCapacitySubscribers) so
/// the class spreads over all three; one synthetic lead teacher publishing simulcast-shaped video and Opus-sized audio;
/// synthetic classrooms joined through the real signalling path (hub JoinClass + Negotiate, placed by the class's
/// grain). Prints per node the packets forwarded per second, CPU and subscribers; latency teacher → classroom
/// (HdrHistogram) for classrooms on the origin and on an edge (the difference is the relay hop), loss; then kill -9 of
/// an edge node chosen by <c>--kill</c> (<see cref="ChooseVictimAsync"/>) and the time until each of its classrooms —
/// and every classroom the class then counts dropped — receives video (a keyframe) from a live node. Bounded: the
/// joins get a time budget and the run stops trying after it.
/// </summary>
internal sealed partial class CascadeBenchmark : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(240);
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(90);

    private readonly List<BenchNode> _nodes = [];
    private readonly List<CascadeClassroom> _classrooms = [];
    private readonly string _admin;
    private readonly string _database;
    private readonly string _recordings;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate("cascade-bench");
    private TeacherClient? _teacher;
    private string _connectionString = "";
    private string _clusterId = "";

    private CascadeBenchmark(string admin)
    {
        _admin = admin;
        _database = "lc_cascade_bench_" + Guid.NewGuid().ToString("n")[..12];
        _recordings = Path.Combine(Path.GetTempPath(), _database);
    }

    private int Classrooms { get; init; } = 600;

    private int Capacity { get; init; }

    private int Seconds { get; init; } = 20;

    private int JoinSeconds { get; init; } = 600;

    private int JoinParallel { get; init; } = 6;

    /// <summary>"edge" (default) or "directory": which edge the kill takes (<see cref="ChooseVictimAsync"/>); "origin": the class grain's node (<see cref="KillOriginAsync"/>).</summary>
    private string KillMode { get; init; } = "edge";

    /// <summary>
    /// How the classrooms read their sockets: "poller" (default), a few epoll threads for all of them
    /// (<see cref="SubscriberPoller"/>); "threads", a thread per classroom woken for every packet, as before 2026-12-06
    /// (on two cores that thread switching starved the whole run: the receive side fell seconds behind and lost packets).
    /// </summary>
    private string Receive { get; init; } = "poller";

    private SubscriberPoller[] _pollers = [];

    /// <summary>Share (percent) of classrooms steered to the q and h layers by their REMB; the rest stay on f.</summary>
    private (int Q, int H) LayerMix { get; init; } = (50, 30);

    public static async Task<int> RunAsync(string[] args)
    {
        var classrooms = 600;
        var capacity = 0;
        var seconds = 20;
        var joinSeconds = 600;
        var parallel = 6;
        var mix = (Q: 50, H: 30);
        var kill = "edge";
        var receive = "poller";
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--classrooms":
                    classrooms = Math.Clamp(Int(args[i + 1]), 3, 1200);
                    break;
                case "--capacity":
                    capacity = Math.Clamp(Int(args[i + 1]), 1, 1200);
                    break;
                case "--seconds":
                    seconds = Math.Clamp(Int(args[i + 1]), 5, 300);
                    break;
                case "--join-seconds":
                    joinSeconds = Math.Clamp(Int(args[i + 1]), 30, 1800);
                    break;
                case "--join-parallel":
                    parallel = Math.Clamp(Int(args[i + 1]), 1, 64);
                    break;
                case "--kill":
                    kill = args[i + 1];
                    if (kill is not ("edge" or "directory" or "origin"))
                    {
                        Console.Error.WriteLine("--kill takes edge (an edge without the class grain's directory entry), directory (the edge holding it) or origin (the node of the class grain, its hub connections and the lead)");
                        return 2;
                    }
                    break;
                case "--receive":
                    receive = args[i + 1];
                    if (receive is not ("poller" or "threads"))
                    {
                        Console.Error.WriteLine("--receive takes poller (a few epoll threads read every classroom's socket) or threads (a thread per classroom)");
                        return 2;
                    }
                    break;
                case "--layers":
                    // "q,h": percent of classrooms on q and on h; the rest on f.
                    var parts = args[i + 1].Split(',');
                    mix = (Math.Clamp(Int(parts[0]), 0, 100), Math.Clamp(Int(parts[1]), 0, 100));
                    mix.H = Math.Min(mix.H, 100 - mix.Q);
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }
        var admin = Environment.GetEnvironmentVariable(ClusterBenchmark.AdminVariable);
        if (string.IsNullOrEmpty(admin))
        {
            Console.Error.WriteLine($"{ClusterBenchmark.AdminVariable} is not set (an admin connection string to PostgreSQL): run loadtests/LiveClassroom.LoadTests/cluster.sh cascade, which starts a private one");
            return 2;
        }
        var serverDll = ClusterBenchmark.ServerDll();
        if (!File.Exists(serverDll))
        {
            Console.Error.WriteLine($"{serverDll} not found: build it first (dotnet build -c Release src/LiveClassroom.Server), or run cluster.sh cascade");
            return 2;
        }
        await using var bench = new CascadeBenchmark(admin)
        {
            Classrooms = classrooms,
            // One third of the classrooms (and the teacher) per node unless told: the class needs all three.
            Capacity = capacity > 0 ? capacity : (classrooms + 1 + 2) / 3 + 1,
            Seconds = seconds, JoinSeconds = joinSeconds, JoinParallel = parallel, LayerMix = mix, KillMode = kill, Receive = receive,
        };
        return await BenchNode.RunOrReportAsync("cascade benchmark", () => bench.RunAsync(serverDll), bench._nodes);
    }

    private async Task RunAsync(string serverDll)
    {
        Console.WriteLine(Invariant($"LiveClassroom cascade benchmark: 3 server processes on loopback, one Orleans cluster on one PostgreSQL; {Classrooms} synthetic classrooms, node capacity {Capacity} subscribers; {Environment.ProcessorCount} cores, load average {ClusterBenchmark.LoadAverage()}"));
        await ExecAdminAsync($"CREATE DATABASE \"{_database}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = _database, MaxPoolSize = 30 }.ConnectionString;
        _connectionString = connectionString;
        var signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var clusterId = "cascade-" + Guid.NewGuid().ToString("n")[..8];
        _clusterId = clusterId;
        var extra = new Dictionary<string, string>
        {
            ["Media__RelayPort"] = "0",
            ["Media__NodeCapacitySubscribers"] = Invariant($"{Capacity}"),
            // Every synthetic classroom is a projector paired through the API from this one address.
            ["Auth__PairingRequestsPerIp"] = Invariant($"{Classrooms + 100}"),
        };
        foreach (var name in new[] { "node-a", "node-b", "node-c" })
        {
            var node = BenchNode.Create(name, serverDll, connectionString, signingKey, clusterId, _recordings, extra);
            _nodes.Add(node);
            var started = Stopwatch.StartNew();
            await node.StartAsync(StartTimeout);
            Console.WriteLine(Invariant($"{name} ready in {started.Elapsed.TotalSeconds:F1} s ({node.Url}, media port {node.MediaPort})"));
        }

        // 10 rural classrooms (a pairing's most), the projectors spread over them: each is its own participant.
        var setup = Stopwatch.StartNew();
        var ruralRooms = Math.Min(10, Classrooms);
        var perRoom = (Classrooms + ruralRooms - 1) / ruralRooms;
        var k = await BenchClass.CreateAsync(_nodes[0].Url, ruralRooms, perRoom, Classrooms);
        Console.WriteLine(Invariant($"class {k.ClassId} opened; {Classrooms} projectors paired over {ruralRooms} rural classrooms in {setup.Elapsed.TotalSeconds:F1} s"));

        // The teacher's hub connection, like every classroom's, on the class grain's node (the one whose SFU opened the
        // class's room): the edge the benchmark kills then carries media only, never a hub connection.
        var rooms = await Task.WhenAll(_nodes.Select(n => n.SfuRoomsAsync()));
        var grainNode = _nodes.Where((n, i) => rooms[i] > 0).FirstOrDefault() ?? _nodes[0];
        _teacher = await TeacherClient.StartAsync(grainNode, k, _certificate, NodeByMediaPort, _nodes);
        var origin = _teacher.MediaNode ?? throw new InvalidOperationException("the teacher's answer names no node");
        Console.WriteLine($"teacher publishing q/h/f ({string.Join(" / ", SimulcastTeacher.LayerBps.Select(b => Invariant($"{b / 1000:F0}")))} kbps) + audio 50 pps on {origin.Name} (the origin)");

        await JoinAllAsync(k, origin);
        await MeasureAsync(origin);
        if (KillMode == "origin")
        {
            await KillOriginAsync(origin, k.ClassId);
        }
        else
        {
            await KillEdgeAsync(origin, k.ClassId);
        }
        Console.WriteLine(Invariant($"total {_clock.Elapsed.TotalSeconds:F0} s, load average {ClusterBenchmark.LoadAverage()}"));
    }

    private BenchNode? NodeByMediaPort(int port) => _nodes.FirstOrDefault(n => n.MediaPort == port);

    /// <summary>Joins classrooms a few at a time until all are in or the join budget is spent; hub connections on the origin.</summary>
    private async Task JoinAllAsync(BenchClass k, BenchNode origin)
    {
        var devices = k.Identities.Where(i => i.Label == "device").Take(Classrooms).ToList();
        if (Receive == "poller")
        {
            _pollers = [.. Enumerable.Range(0, Math.Clamp(Environment.ProcessorCount, 1, 4)).Select(i => new SubscriberPoller($"lt-poller-{i}"))];
        }
        Console.WriteLine(Invariant($"classrooms' receive side: {(_pollers.Length > 0 ? $"{_pollers.Length} epoll threads for all their sockets" : "a thread per classroom")} (--receive {Receive})"));
        for (var i = 0; i < devices.Count; i++)
        {
            long? remb = (i * 100 / Math.Max(1, devices.Count)) switch
            {
                var p when p < LayerMix.Q => 250_000,
                var p when p < LayerMix.Q + LayerMix.H => 900_000,
                _ => null,
            };
            _classrooms.Add(new CascadeClassroom(i, devices[i], k.ClassId, _certificate, SrtpProtectionProfileId.AeadAes128Gcm, remb, NodeByMediaPort, _nodes)
            {
                Poller = _pollers.Length > 0 ? _pollers[i % _pollers.Length] : null,
            });
        }
        // Interleave the layers so every node gets a mix.
        var order = _classrooms.OrderBy(c => (c.Index * 7919) % _classrooms.Count).ToList();
        _ticker = new Thread(TickLoop) { IsBackground = true, Name = "cascade-ticks" };
        _ticker.Start();
        var started = Stopwatch.StartNew();
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(JoinSeconds));
        using var gate = new SemaphoreSlim(JoinParallel);
        var failed = 0;
        var progress = 0;
        await Task.WhenAll(order.Select(async c =>
        {
            try
            {
                await gate.WaitAsync(budget.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                using var one = CancellationTokenSource.CreateLinkedTokenSource(budget.Token);
                one.CancelAfter(TimeSpan.FromSeconds(120));
                await c.JoinAsync(origin, one.Token);
                var done = Interlocked.Increment(ref progress);
                if (done % 100 == 0)
                {
                    Console.WriteLine(Invariant($"  {done} classrooms connected after {started.Elapsed.TotalSeconds:F0} s (load average {ClusterBenchmark.LoadAverage()})"));
                }
            }
            catch (Exception ex)
            {
                if (Interlocked.Increment(ref failed) <= 3)
                {
                    Console.WriteLine($"  classroom {c.Index} did not connect: {ex.GetType().Name}: {ex.Message}");
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        var connected = _classrooms.Count(c => c.Connected);
        Console.WriteLine(Invariant($"{connected} of {Classrooms} classrooms connected (hub JoinClass + Negotiate + ICE/DTLS on the node the class chose) in {started.Elapsed.TotalSeconds:F1} s; {failed} failed, {Classrooms - connected - failed} not tried within the {JoinSeconds} s budget; joins or offers refused for the moment and tried again: {_classrooms.Sum(c => c.Retries)}; hub connections dropped and reconnected: {_classrooms.Sum(c => c.HubReconnects)}; load average {ClusterBenchmark.LoadAverage()}"));
        foreach (var n in _nodes)
        {
            Console.WriteLine(Invariant($"  {n.Name}{(n == origin ? " (origin)" : "")}: {_classrooms.Count(c => c.Connected && c.MediaNode == n)} classrooms"));
        }
    }

    private Thread? _ticker;
    private volatile bool _stopTicks;

    /// <summary>Once a second: each classroom's REMB and consent; the page's silence fallback checked every 250 ms.</summary>
    private void TickLoop()
    {
        var round = 0;
        while (!_stopTicks)
        {
            Thread.Sleep(250);
            var now = Stopwatch.GetTimestamp();
            var tick = round++ % 4 == 0;
            foreach (var c in _classrooms.ToArray())
            {
                if (tick)
                {
                    c.Tick(round / 4);
                }
                c.CheckSilence(now);
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    private static double Ms(long micros) => micros / 1000.0;

    private static string Percentiles(LongHistogram h) => h.TotalCount == 0
        ? "       - |        - |        -"
        : Invariant($"{Ms(h.GetValueAtPercentile(50)),8:F2} | {Ms(h.GetValueAtPercentile(99)),8:F2} | {Ms(h.GetMaxValue()),8:F2}");

    private Task ExecAdminAsync(string sql) => BenchNode.ExecAsync(_admin, sql);

    public async ValueTask DisposeAsync()
    {
        _stopTicks = true;
        foreach (var c in _classrooms)
        {
            c.Stop();
        }
        _teacher?.Dispose();
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        using (var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await Task.WhenAll(_classrooms.Select(c => c.DisposeAsync().AsTask())).WaitAsync(cleanup.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _ticker?.Join(2000);
        foreach (var poller in _pollers)
        {
            poller.Dispose();
        }
        NpgsqlConnection.ClearAllPools();
        await ExecAdminAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
        if (Directory.Exists(_recordings))
        {
            Directory.Delete(_recordings, recursive: true);
        }
    }
}
