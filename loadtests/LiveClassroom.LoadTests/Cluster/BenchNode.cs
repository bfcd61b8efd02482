using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace LiveClassroom.LoadTests.Cluster;

/// <summary>
/// One real server process (the built LiveClassroom.Server.dll) on loopback: its own HTTP, silo, gateway, media and
/// metrics ports, the shared database and signing key, one Orleans cluster id. States: running → killed | paused
/// (SIGSTOP) → resumed; a killed node can be started again on the same ports. Keeps its last output lines for errors.
/// </summary>
internal sealed partial class BenchNode : IAsyncDisposable
{
    private readonly ProcessStartInfo _info;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    private BenchNode(string name, ProcessStartInfo info, Uri url, Uri metricsUrl, int mediaPort)
    {
        Name = name;
        _info = info;
        Url = url;
        MetricsUrl = metricsUrl;
        MediaPort = mediaPort;
    }

    /// <summary>The SFU's UDP port (the port of the host candidate in its answers).</summary>
    public int MediaPort { get; }

    public string Name { get; }

    /// <summary>The Orleans silo port (with its generation, what the cluster's membership table knows the node by).</summary>
    public int SiloPort => int.Parse(_info.Environment["Cluster__SiloPort"]!, CultureInfo.InvariantCulture);

    public Uri Url { get; }

    /// <summary>Prometheus endpoint on its own port (no token), where <c>liveclassroom_sfu_rooms</c> tells the class's node.</summary>
    public Uri MetricsUrl { get; }

    public bool Paused { get; private set; }

    public string Output => string.Join('\n', _output.TakeLast(40));

    /// <summary>The last 2,000 lines of the node's output.</summary>
    public string[] RecentOutput => [.. _output];

    /// <summary>A directory to which each node's whole output is appended (&lt;name&gt;.log), if set.</summary>
    public const string LogDirectoryVariable = "LIVECLASSROOM_BENCH_NODE_LOGS";

    /// <summary>Runs one SQL statement on the benchmark's PostgreSQL (creating and dropping its database).</summary>
    public static async Task ExecAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a multi-node benchmark: 0 when it completes; 1 with the error and each node's last output lines when not.</summary>
    public static async Task<int> RunOrReportAsync(string benchmark, Func<Task> run, IReadOnlyList<BenchNode> nodes)
    {
        // A bug on one of the benchmark's own threads ends the process without the disposals below: the servers it
        // started would outlive it, with their ports, database sessions and whatever file lock the shell handed down.
        AppDomain.CurrentDomain.UnhandledException += (_, _) =>
        {
            foreach (var node in nodes)
            {
                node.KillNow();
            }
        };
        try
        {
            await run();
            return 0;
        }
#pragma warning disable CA1031 // A benchmark's failure is reported, with what the servers printed, and ends the run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"{benchmark} failed: {ex}");
            foreach (var node in nodes)
            {
                Console.Error.WriteLine($"--- {node.Name} (last lines) ---\n{node.Output}");
            }
            return 1;
        }
    }

    /// <param name="extra">Further settings (environment variables) for this node, e.g. the cascade's relay port and capacity.</param>
    public static BenchNode Create(string name, string serverDll, string connectionString, string signingKey, string clusterId, string recordingsRoot,
        IReadOnlyDictionary<string, string>? extra = null)
    {
        var httpPort = FreePort();
        var metricsPort = FreePort();
        var url = new Uri($"http://127.0.0.1:{httpPort}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
        };
        info.ArgumentList.Add(serverDll);
        var env = info.Environment;
        env["LIVECLASSROOM_DB"] = connectionString;
        env["LIVECLASSROOM_URLS"] = $"http://127.0.0.1:{httpPort}";
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env["Seed__DemoPassword"] = ClusterBenchmark.DemoPassword;
        env["Auth__SigningKey"] = signingKey;
        env["Node__Id"] = name;
        env["Node__PublicUrl"] = url.ToString().TrimEnd('/');
        env["Cluster__Id"] = clusterId;
        env["Cluster__SiloPort"] = Invariant(FreePort());
        env["Cluster__GatewayPort"] = Invariant(FreePort());
        env["Metrics__Port"] = Invariant(metricsPort);
        var media = FreeTcpAndUdpPort();
        env["Media__UdpPort"] = Invariant(media);
        env["Media__PublicAddresses"] = "127.0.0.1";
        env["Recordings__Root"] = recordingsRoot;
        env["Recordings__RecordScheduledLessons"] = "false";
        env["Logging__Console__FormatterName"] = "simple";
        // Warnings and errors only: an information line per hub join would cost the shared cores during the run.
        env["Logging__LogLevel__Default"] = "Warning";
        // Except the class grain's account of the lead's media offer (one line per lead offer; the cascade benchmark prints it).
        env["Logging__LogLevel__LiveClassroom.Grains.Classroom.ClassroomGrain"] = "Information";
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }
        return new BenchNode(name, info, url, new Uri($"http://127.0.0.1:{metricsPort}/metrics"), media);
    }

    /// <summary>Starts the process (again, after a kill: same ports) and waits until <c>/healthz</c> answers.</summary>
    public async Task StartAsync(TimeSpan timeout)
    {
        _process?.Dispose();
        var process = Process.Start(_info) ?? throw new InvalidOperationException("could not start the server");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Paused = false;
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"node {Name} exited with code {process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Start-up busy (migrations, seeding).
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"node {Name} not ready within {timeout.TotalSeconds:0} s:\n{Output}");
    }

    /// <summary>kill -9 without waiting (the benchmark's own process is going down).</summary>
    private void KillNow()
    {
        try
        {
            if (_process is { HasExited: false } p)
            {
                p.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    /// <summary>kill -9: no graceful shutdown, sockets reset by the kernel.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
        Paused = false;
    }

    /// <summary>SIGSTOP: a hung node whose sockets stay open and answer nothing.</summary>
    public async Task PauseAsync()
    {
        await SignalAsync("STOP");
        Paused = true;
    }

    public async Task ResumeAsync()
    {
        await SignalAsync("CONT");
        Paused = false;
    }

    /// <summary>The server process's resident memory (VmRSS) in MiB, or null when it is not running.</summary>
    public double? RssMegabytes()
    {
        if (_process is not { HasExited: false } p)
        {
            return null;
        }
        try
        {
            foreach (var line in File.ReadLines($"/proc/{p.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().ToString().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
                }
            }
        }
        catch (IOException)
        {
            // The process exited between the check and the read.
        }
        return null;
    }

    /// <summary>Media rooms open on this node: 1 on the node hosting the class's grain (it opens the SFU room), else 0.</summary>
    public async Task<int> SfuRoomsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync(MetricsUrl);
        var match = SfuRoomsLine().Match(text);
        return match.Success ? (int)double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>CPU seconds (user + system) the server process has used so far, from <c>/proc/[pid]/stat</c>; 0 when not running.</summary>
    public double CpuSeconds()
    {
        if (_process is not { HasExited: false } p)
        {
            return 0;
        }
        try
        {
            var stat = File.ReadAllText($"/proc/{p.Id}/stat");
            // Fields after the command name (which may hold spaces) start at its closing parenthesis; utime and stime are 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// CPU seconds so far of the process's media packet threads (names starting <c>media-</c>: the SFU's receive workers
    /// and fan-out lanes, and the relay's receive thread, which forwards on an edge), from <c>/proc/[pid]/task</c>.
    /// </summary>
    public double MediaThreadCpuSeconds()
    {
        if (_process is not { HasExited: false } p)
        {
            return 0;
        }
        long ticks = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{p.Id}/task"))
            {
                try
                {
                    if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith("media-", StringComparison.Ordinal))
                    {
                        continue;
                    }
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread ended meanwhile.
                }
            }
        }
        catch (IOException)
        {
            return 0;
        }
        return ticks / 100.0;
    }

    /// <summary>The SFU's counters from its metrics: packets forwarded so far, peers now.</summary>
    public async Task<SfuFigures> SfuFiguresAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync(MetricsUrl);
        double Sum(Regex line)
        {
            double total = 0;
            foreach (Match m in line.Matches(text))
            {
                total += double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            return total;
        }
        return new SfuFigures(Sum(ForwardedLine()), Sum(PeersLine()));
    }

    private async Task SignalAsync(string signal)
    {
        var pid = _process?.Id ?? throw new InvalidOperationException("not started");
        using var kill = Process.Start("kill", ["-" + signal, Invariant(pid)]) ?? throw new InvalidOperationException("could not run kill");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} exited with {kill.ExitCode}");
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        if (Environment.GetEnvironmentVariable(LogDirectoryVariable) is { Length: > 0 } directory)
        {
            // Every line of the node's log (warnings and errors) kept for a look after the run.
            lock (_output)
            {
                File.AppendAllText(Path.Combine(directory, Name + ".log"), line + "\n");
            }
        }
        while (_output.Count > 2000)
        {
            _output.TryDequeue(out _);
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // The media port serves UDP and ICE-TCP on the same number.
    private static int FreeTcpAndUdpPort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = FreePort();
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Any, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for UDP: try another.
            }
        }
        throw new InvalidOperationException("no free TCP+UDP port");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }
        if (Paused && !_process.HasExited)
        {
            await ResumeAsync();
        }
        await KillAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"^liveclassroom_sfu_rooms(?:\{[^}]*\})? ([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex SfuRoomsLine();

    [GeneratedRegex(@"^liveclassroom_sfu_packets_forwarded(?:_total)?(?:\{[^}]*\})? ([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex ForwardedLine();

    [GeneratedRegex(@"^liveclassroom_sfu_peers(?:\{[^}]*\})? ([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex PeersLine();
}
