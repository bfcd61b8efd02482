using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using LiveClassroom.Testing;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// One real server process (the built server dll) on a loopback port: started, awaited until /healthz answers,
/// and killed like a crashed node. Its output is kept (last lines) for failure messages.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private NodeProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public string Output => string.Join('\n', _output.TakeLast(60));

    public static async Task<NodeProcess> StartAsync(string nodeId, string connectionString, string signingKey, IDictionary<string, string>? extra = null)
    {
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        var psi = new ProcessStartInfo("dotnet", [RepoPaths.ServerDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(RepoPaths.ServerDll)!,
        };
        psi.Environment["LIVECLASSROOM_DB"] = connectionString;
        psi.Environment["LIVECLASSROOM_URLS"] = url.ToString().TrimEnd('/');
        psi.Environment["Node__Id"] = nodeId;
        psi.Environment["Node__PublicUrl"] = url.ToString().TrimEnd('/');
        psi.Environment["Auth__SigningKey"] = signingKey;
        psi.Environment["Seed__DemoPassword"] = "demo-password-for-tests";
        psi.Environment["Media__Mode"] = "Null";
        psi.Environment["Logging__Console__FormatterName"] = "simple";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the server");
        var node = new NodeProcess(process, url);
        process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await node.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        return node;
    }

    /// <summary>Kills the process at once: no lease released, nothing flushed — a crashed node.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"node {Url} exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync("/healthz");
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
                // Start-up still busy.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"node {Url} not healthy within {timeout.TotalSeconds} s:\n{Output}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }

    private static int FreePort() => LiveClassroom.Testing.Network.LocalPorts.FreeForTcp(IPAddress.Loopback);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
