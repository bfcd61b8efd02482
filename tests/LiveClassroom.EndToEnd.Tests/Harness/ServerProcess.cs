using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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
    public static async Task<ServerProcess> StartAsync(string? extraUrls = null, IReadOnlyDictionary<string, string>? environment = null,
        IPAddress? linkAddress = null)
    {
        var wwwroot = Path.Combine(RepoPaths.Root, "src", "LiveClassroom.Server", "wwwroot", "index.html");
        if (!File.Exists(wwwroot))
        {
            throw new InvalidOperationException("The web app is not built: run the tests with scripts/test.sh (it builds src/LiveClassroom.Web first)");
        }
        var database = await TestDatabase.CreateAsync("e2e");
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(RepoPaths.Root, "src", "LiveClassroom.Server"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepoPaths.ServerDll);
        info.Environment["LIVECLASSROOM_DB"] = database.ConnectionString;
        info.Environment["LIVECLASSROOM_URLS"] = $"http://127.0.0.1:{port}" + (extraUrls is null ? "" : ";" + extraUrls);
        info.Environment["Seed__DemoPassword"] = DemoPassword;
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Fixed across a restart: tokens issued before stay valid, and the node takes its own leases back.
        info.Environment["Auth__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        info.Environment["Node__Id"] = "e2e-" + port;
        info.Environment["Node__PublicUrl"] = $"http://127.0.0.1:{port}";
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
            info.Environment["LIVECLASSROOM_URLS"] = $"http://127.0.0.1:{port};http://{linkAddress}:{port}";
            info.Environment["Media__BindAddress"] = linkAddress.ToString();
            info.Environment["Media__PublicAddresses"] = linkAddress.ToString();
            mediaPort = LiveClassroom.Testing.Network.LocalPorts.FreeForTcpAndUdp(linkAddress);
            info.Environment["Media__UdpPort"] = mediaPort.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            // "{port}": this server's HTTP port, known only here (e.g. Cluster__Nodes naming the server itself).
            info.Environment[key] = value.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        var server = new ServerProcess(info, database, new Uri($"http://127.0.0.1:{port}")) { MediaPort = mediaPort };
        await server.StartProcessAsync();
        return server;
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
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}:\n{Log}");
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null && !HasExited(_process))
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        await _database.DisposeAsync();
    }
}
