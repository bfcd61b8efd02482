using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace LiveClassroom.LoadTests.Cluster;

/// <summary>
/// Two real server processes on loopback as one Orleans cluster on one PostgreSQL (a benchmark, not a test;
/// docs/BENCHMARKS-CLUSTER.md). Prints: grain call latency through the hub, local and cross-node; event fan-out latency from the
/// teacher's chat message to N hub connections spread over both nodes; the failover times after kill -9 and SIGSTOP of
/// the node hosting the class. Every loop is bounded; a run takes about 3–5 minutes.
/// </summary>
internal sealed partial class ClusterBenchmark : IAsyncDisposable
{
    public const string DemoPassword = "bench-demo-password";
    public const string AdminVariable = "LIVECLASSROOM_BENCH_PG";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(240);

    private readonly List<BenchNode> _nodes = [];
    private readonly List<ClassClient> _clients = [];
    private readonly List<ClassClient> _allClients = [];
    private readonly List<BenchClass> _classes = [];
    private readonly ChatTracker _chats = new();
    private readonly string _admin;
    private readonly string _database;
    private readonly string _recordings;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private BenchClass _class = null!;

    private ClusterBenchmark(string admin)
    {
        _admin = admin;
        _database = "lc_cluster_bench_" + Guid.NewGuid().ToString("n")[..12];
        _recordings = Path.Combine(Path.GetTempPath(), _database);
    }

    private int Connections { get; init; } = 500;

    private int Calls { get; init; } = 2000;

    private int Messages { get; init; } = 100;

    /// <summary>Classes the connections are spread over (the first is the one the grain-call, fan-out and failover phases use).</summary>
    private int Classes { get; init; } = 1;

    /// <summary>The soak's length (60 s unless told: a quick run; 600 for the 10-minute soak); 0 skips it.</summary>
    private int SoakSeconds { get; init; } = 60;

    private int EventIntervalMs { get; init; } = 1000;

    private bool Failover { get; init; } = true;

    public static async Task<int> RunAsync(string[] args)
    {
        var connections = 500;
        var calls = 2000;
        var messages = 100;
        var classes = 1;
        var soak = 60;
        var interval = 1000;
        var failover = 1;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--connections":
                    connections = Math.Clamp(value, 8, 2000);
                    break;
                case "--calls":
                    calls = Math.Clamp(value, 10, 20_000);
                    break;
                case "--messages":
                    messages = Math.Clamp(value, 2, 1000);
                    break;
                case "--classes":
                    classes = Math.Clamp(value, 1, 8);
                    break;
                case "--soak-seconds":
                    soak = Math.Clamp(value, 0, 3600);
                    break;
                case "--event-interval-ms":
                    interval = Math.Clamp(value, 100, 60_000);
                    break;
                case "--failover":
                    failover = Math.Clamp(value, 0, 1);
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }
        var admin = Environment.GetEnvironmentVariable(AdminVariable);
        if (string.IsNullOrEmpty(admin))
        {
            Console.Error.WriteLine($"{AdminVariable} is not set (an admin connection string to PostgreSQL): run loadtests/LiveClassroom.LoadTests/cluster.sh, which starts a private one");
            return 2;
        }
        var serverDll = ServerDll();
        if (!File.Exists(serverDll))
        {
            Console.Error.WriteLine($"{serverDll} not found: build it first (dotnet build -c Release src/LiveClassroom.Server), or run cluster.sh");
            return 2;
        }
        await using var bench = new ClusterBenchmark(admin)
        {
            Connections = connections / (2 * classes) * 2 * classes, Calls = calls, Messages = messages / 2 * 2, Classes = classes, SoakSeconds = soak,
            EventIntervalMs = interval, Failover = failover == 1,
        };
        return await BenchNode.RunOrReportAsync("cluster benchmark", () => bench.RunAsync(serverDll), bench._nodes);
    }

    private async Task RunAsync(string serverDll)
    {
        Console.WriteLine(Invariant($"LiveClassroom cluster benchmark: 2 server processes on loopback, one Orleans cluster on one PostgreSQL; {Connections} hub connections, {Environment.ProcessorCount} cores, load average {LoadAverage()}"));
        await ExecAdminAsync($"CREATE DATABASE \"{_database}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = _database }.ConnectionString;
        var signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var clusterId = "bench-" + Guid.NewGuid().ToString("n")[..8];
        foreach (var name in new[] { "node-a", "node-b" })
        {
            var node = BenchNode.Create(name, serverDll, connectionString, signingKey, clusterId, _recordings);
            _nodes.Add(node);
            var started = Stopwatch.StartNew();
            // One after the other: the first migrates the database and seeds the demo accounts.
            await node.StartAsync(StartTimeout);
            Console.WriteLine(Invariant($"{name} ready in {started.Elapsed.TotalSeconds:F1} s ({node.Url})"));
        }
        _class = await BenchClass.CreateAsync(_nodes[0].Url, ruralClassrooms: 3);
        _classes.Add(_class);
        var host = await HostingNodeAsync(TimeSpan.FromSeconds(30));
        Console.WriteLine($"class {_class.ClassId} opened through node-a; hosted on {host.Name} (the node whose SFU has the room: liveclassroom_sfu_rooms)");
        for (var i = 1; i < Classes; i++)
        {
            // The others are opened once the first one's node is known: that lookup needs a single media room.
            _classes.Add(await BenchClass.CreateAsync(_nodes[i % 2].Url, ruralClassrooms: 3));
            Console.WriteLine($"class {_classes[i].ClassId} opened through {_nodes[i % 2].Name}");
        }

        await ConnectAllAsync(host);
        await MeasureGrainCallsAsync(host);
        await MeasureFanOutAsync(host);
        if (SoakSeconds > 0)
        {
            await SoakAsync();
        }
        if (Failover && Classes == 1)
        {
            await MeasureFailoversAsync(host);
        }
        else
        {
            Console.WriteLine("failover phase skipped (--failover 0, or more than one class: it follows a single class's node)");
        }
        Console.WriteLine(Invariant($"total {_clock.Elapsed.TotalSeconds:F0} s, load average {LoadAverage()}"));
    }

    /// <summary>
    /// Connections / Classes per class; within a class connection i goes to the first class's node when i is even, to
    /// the other when odd; identities in turn, pairwise.
    /// </summary>
    private async Task ConnectAllAsync(BenchNode host)
    {
        var other = Other(host);
        var started = Stopwatch.StartNew();
        var perClass = Connections / Classes;
        foreach (var k in _classes)
        {
            for (var i = 0; i < perClass; i++)
            {
                var client = new ClassClient(i, k.Identities[i / 2 % k.Identities.Count], k.ClassId, _nodes, _chats.OnReceived);
                _allClients.Add(client);
                if (k == _class)
                {
                    _clients.Add(client);
                }
            }
        }
        using var gate = new SemaphoreSlim(16);
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(60 + Connections / 4));
        await Task.WhenAll(_allClients.Select(async c =>
        {
            await gate.WaitAsync(budget.Token);
            try
            {
                await c.ConnectAndJoinAsync(c.Index % 2 == 0 ? host : other, budget.Token);
            }
            finally
            {
                gate.Release();
            }
        }));
        var kinds = string.Join(", ", _class.Identities.GroupBy(i => i.Label).Select(g => $"{g.Count()} {g.Key}{(g.Count() > 1 ? "s" : "")}"));
        Console.WriteLine(Invariant($"{Connections} connections ({Connections / 2} per node, {perClass} per class) connected and joined in {started.Elapsed.TotalSeconds:F1} s, as {kinds} in turn; events delivered twice to a connection (same seq) meanwhile: {_allClients.Sum(c => c.DuplicateEvents)}"));
    }

    /// <summary>The node whose SFU has the class's media room: the grain opens it where it is active.</summary>
    private async Task<BenchNode> HostingNodeAsync(TimeSpan timeout, BenchNode? except = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var live = _nodes.Where(n => !n.Paused && n != except).ToList();
            var rooms = await Task.WhenAll(live.Select(n => n.SfuRoomsAsync()));
            var hosts = live.Where((_, i) => rooms[i] > 0).ToList();
            if (hosts.Count == 1)
            {
                return hosts[0];
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"no single node hosts the class: media rooms {string.Join(", ", live.Select((n, i) => $"{n.Name} {rooms[i]}"))}");
            }
            await Task.Delay(200);
        }
    }

    private BenchNode Other(BenchNode node) => _nodes.Single(n => n != node);

    private ClassClient FirstOn(BenchNode node, string label, int skip = 0) =>
        _clients.Where(c => c.Node == node && c.Identity.Label == label && c.Connected).Skip(skip).First();

    /// <summary>The built server: <c>LIVECLASSROOM_BENCH_SERVER_DLL</c>, else the Release build in this checkout.</summary>
    public static string ServerDll() => Environment.GetEnvironmentVariable("LIVECLASSROOM_BENCH_SERVER_DLL")
        ?? Path.Combine(RepoRoot(), "src", "LiveClassroom.Server", "bin", "Release", "net10.0", "LiveClassroom.Server.dll");

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LiveClassroom.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("LiveClassroom.sln not found above " + AppContext.BaseDirectory);
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;

    private Task ExecAdminAsync(string sql) => BenchNode.ExecAsync(_admin, sql);

    public async ValueTask DisposeAsync()
    {
        // Clients first told to stay put, so the nodes going away does not send them looking for another.
        foreach (var c in _allClients)
        {
            c.Stop();
        }
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        await Task.WhenAll(_allClients.Select(c => c.DisposeAsync().AsTask()));
        NpgsqlConnection.ClearAllPools();
        await ExecAdminAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
        if (Directory.Exists(_recordings))
        {
            Directory.Delete(_recordings, recursive: true);
        }
    }
}
