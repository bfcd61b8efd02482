using System.Diagnostics;
using System.Net;
using System.Text;
using LiveClassroom.Testing;

namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>
/// The real server (RepoPaths.ServerDll) as a child process on a free loopback port, on its own throwaway
/// database, serving the built web app from its wwwroot. Its output is kept for failure messages.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string DemoPassword = "demo-password-e2e";

    private readonly ProcessStartInfo _info;
    private readonly TestDatabase _database;
    private bool _ownsDatabase = true;
    private Process _process;
    private readonly StringBuilder _log = new();

    private ServerProcess(ProcessStartInfo info, TestDatabase database, Uri baseUrl)
    {
        _info = info;
        _process = null!;
        _database = database;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>The media port (UDP, and TCP for ICE-TCP) when started with a link address; otherwise the environment's.</summary>
    public int? MediaPort { get; private init; }

    /// <summary>The server's own database: for setting up what no public API creates (e.g. a finished recording).</summary>
    public string DatabaseConnectionString => _database.ConnectionString;

    /// <summary>The server's <c>Recordings:Root</c>: recording {id:N} lives in a folder of that name below it.</summary>
    public static string RecordingsRoot { get; } = Path.Combine(RepoPaths.Root, "artifacts", "e2e", "recordings");

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <param name="extraUrls">More Kestrel listen URLs (';'-separated) next to the loopback HTTP one, e.g. an HTTPS URL.</param>
    /// <param name="environment">More settings for the server (e.g. its certificate, Turn__*), set after the defaults.</param>
    /// <param name="linkAddress">
    /// Also serve HTTP on this address, and bind and advertise media only there (Media__*), on a UDP+TCP port of its own:
    /// for a browser in a <see cref="LiveClassroom.Testing.Network.NetworkNamespace"/> that reaches only that address.
    /// </param>
    /// <param name="port">The HTTP port (default: a free one).</param>
    /// <param name="peerOf">Another node of the same cluster: this one shares its database and signing key.</param>
    public static async Task<ServerProcess> StartAsync(string? extraUrls = null, IReadOnlyDictionary<string, string>? environment = null,
        IPAddress? linkAddress = null, int? port = null, ServerProcess? peerOf = null)
    {
        var wwwroot = Path.Combine(RepoPaths.Root, "src", "LiveClassroom.Server", "wwwroot", "index.html");
        if (!File.Exists(wwwroot))
        {
            throw new InvalidOperationException("The web app is not built: run the tests with scripts/test.sh (it builds src/LiveClassroom.Web first)");
        }
        var database = peerOf?._database ?? await TestDatabase.CreateAsync("e2e");
        var httpPort = port ?? FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(RepoPaths.Root, "src", "LiveClassroom.Server"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepoPaths.ServerDll);
        info.Environment["LIVECLASSROOM_DB"] = database.ConnectionString;
        info.Environment["LIVECLASSROOM_URLS"] = $"http://127.0.0.1:{httpPort}" + (extraUrls is null ? "" : ";" + extraUrls);
        info.Environment["Seed__DemoPassword"] = DemoPassword;
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Fixed across a restart: tokens issued before stay valid, and the node takes its own leases back.
        info.Environment["Auth__SigningKey"] = peerOf?._info.Environment["Auth__SigningKey"]
            ?? Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        info.Environment["Node__Id"] = "e2e-" + httpPort;
        info.Environment["Node__PublicUrl"] = $"http://127.0.0.1:{httpPort}";
        // One line per request in artifacts/e2e/server.log: which call a browser's console error came from.
        info.Environment["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
        // Recordings where tests can probe them (artifacts/ is git-ignored), one ffmpeg thread on the shared cores.
        info.Environment["Recordings__Root"] = RecordingsRoot;
        info.Environment["Recordings__Threads"] = "1";
        // Webhook receivers of the tests listen on http://127.0.0.1 (WebhookReceiver).
        info.Environment["Webhooks__AllowInsecureLoopback"] = "true";
        int? mediaPort = null;
        if (linkAddress is not null)
        {
            info.Environment["LIVECLASSROOM_URLS"] = $"http://127.0.0.1:{httpPort};http://{linkAddress}:{httpPort}";
            info.Environment["Media__BindAddress"] = linkAddress.ToString();
            info.Environment["Media__PublicAddresses"] = linkAddress.ToString();
            mediaPort = LiveClassroom.Testing.Network.LocalPorts.FreeForTcpAndUdp(linkAddress);
            info.Environment["Media__UdpPort"] = mediaPort.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            // "{port}": this server's HTTP port, known only here (e.g. Cluster__Nodes naming the server itself).
            info.Environment[key] = value.Replace("{port}", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        var server = new ServerProcess(info, database, new Uri($"http://127.0.0.1:{httpPort}")) { MediaPort = mediaPort, _ownsDatabase = peerOf is null };
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>
    /// <paramref name="count"/> nodes of one cluster: one database, one signing key, each its own HTTP, silo, gateway,
    /// media and metrics port, all listed in Cluster__Nodes (so pages move to the next node by themselves), started
    /// one after the other (the first migrates and seeds). Each node's <see cref="MetricsUrl"/> answers without a token.
    /// </summary>
    /// <param name="perNode">Settings added to every node's (values may use "{port}", as in <see cref="StartAsync"/>).</param>
    public static async Task<IReadOnlyList<ServerProcess>> StartClusterAsync(int count, IReadOnlyDictionary<string, string>? perNode = null)
    {
        var ports = Enumerable.Range(0, count).Select(_ => FreePort()).ToArray();
        var nodes = string.Join(",", ports.Select(p => $"http://127.0.0.1:{p}"));
        var clusterId = "e2e-" + Guid.NewGuid().ToString("n")[..12];
        var started = new List<ServerProcess>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var metrics = FreePort();
                var environment = new Dictionary<string, string>
                {
                    ["Cluster__Id"] = clusterId,
                    ["Cluster__SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Cluster__GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Cluster__Nodes"] = nodes,
                    ["Media__UdpPort"] = LiveClassroom.Testing.Network.LocalPorts.FreeForTcpAndUdp(IPAddress.Loopback).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Metrics__Port"] = metrics.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                foreach (var (key, value) in perNode ?? new Dictionary<string, string>())
                {
                    environment[key] = value;
                }
                var node = await StartAsync(environment: environment, port: ports[i], peerOf: i == 0 ? null : started[0]);
                node.MetricsUrl = new Uri($"http://127.0.0.1:{metrics}/metrics");
                started.Add(node);
            }
            return started;
        }
        catch
        {
            foreach (var node in Enumerable.Reverse(started))
            {
                await node.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>The media UDP port this server was started with (<c>Media__UdpPort</c>), if one was set.</summary>
    public int? MediaUdpPort => _info.Environment.TryGetValue("Media__UdpPort", out var port) && int.TryParse(port, out var p) ? p : null;

    /// <summary>The node's Prometheus endpoint, when started by <see cref="StartClusterAsync"/>.</summary>
    public Uri? MetricsUrl { get; private set; }

    /// <summary>Freezes the process (SIGSTOP): a hung node, whose sockets stay open and answer nothing.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>Lets a paused process run again (SIGCONT).</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    public bool HasExitedNow => HasExited(_process);

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("could not run kill");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} exited with {kill.ExitCode}");
        }
    }

    private async Task StartProcessAsync()
    {
        var process = Process.Start(_info) ?? throw new InvalidOperationException("could not start the server");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitHealthyAsync();
    }

    /// <summary>Kills the server as a power or network failure would (no graceful shutdown).</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>Starts the server again on the same port and database.</summary>
    public Task RestartAsync() => StartProcessAsync();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        // UTC time of arrival, so the server's lines line up with the figures' timelines.
        line = $"{DateTime.UtcNow:HH:mm:ss.fff} {line}";
        lock (_log)
        {
            _log.AppendLine(line);
            // Also on disk as it happens, for diagnosing a failed run (artifacts/ is git-ignored).
            File.AppendAllText(LogPath, line + Environment.NewLine);
        }
    }

    private static string LogPath { get; } = CreateLogPath();

    private static string CreateLogPath()
    {
        var dir = Path.Combine(RepoPaths.Root, "artifacts", "e2e");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "server.log");
        File.WriteAllText(path, "");
        return path;
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        // Start-up seeds the demo accounts (PBKDF2): on a shared 2-core machine at load 60+ that alone takes minutes.
        var deadline = DateTime.UtcNow.AddSeconds(240);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // The server's one-line reason first: CI shows only the head of a long message.
                var reason = Log.Split('\n').LastOrDefault(l => l.Contains("liveclassroom:", StringComparison.Ordinal))?.Trim();
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}: {reason ?? "(no reason printed)"}\n{Log}");
            }
            try
            {
                if ((await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
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
                // Starting up slowly on a busy machine.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The server did not become healthy within 240 s:\n{Log}");
    }

    private static bool HasExited(Process p)
    {
        try
        {
            return p.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true; // disposed after a kill
        }
    }

    private static int FreePort() => LiveClassroom.Testing.Network.LocalPorts.FreeForTcp(IPAddress.Loopback);

    public async ValueTask DisposeAsync()
    {
        if (_process is not null && !HasExited(_process))
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        if (_ownsDatabase)
        {
            await _database.DisposeAsync();
        }
    }
}
