using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace LiveClassroom.Testing.Network;

/// <summary>
/// A real coturn (Debian's <c>turnserver</c>) for one test: listening on one address of this machine, TURN over UDP and
/// TCP on a free port, relaying from the same address, with a generated <c>static-auth-secret</c> (the TURN REST API
/// scheme the server's /api/media/ice-servers signs for). Stopped and its files removed on dispose.
/// </summary>
public sealed class TurnServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly StringBuilder _log = new();

    private TurnServerProcess(Process process, string dir, IPAddress address, int port, string secret)
    {
        _process = process;
        _dir = dir;
        Address = address;
        Port = port;
        Secret = secret;
    }

    public IPAddress Address { get; }

    public int Port { get; }

    public string Secret { get; }

    /// <summary>The Turn:Urls value for this server: TURN over UDP, then over TCP.</summary>
    public string Urls => string.Create(CultureInfo.InvariantCulture, $"turn:{Address}:{Port}?transport=udp,turn:{Address}:{Port}?transport=tcp");

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

    public static async Task<TurnServerProcess> StartAsync(IPAddress address)
    {
        const string program = "/usr/bin/turnserver";
        if (!File.Exists(program))
        {
            throw new InvalidOperationException("coturn is not installed (/usr/bin/turnserver); scripts/test.sh installs the Debian package coturn");
        }
        var port = LocalPorts.FreeForTcpAndUdp(address);
        // A relay range of our own, away from the usual ephemeral ports.
        var minRelay = 50_000 + RandomNumberGenerator.GetInt32(0, 150) * 100;
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var dir = Directory.CreateTempSubdirectory("lc-coturn-").FullName;
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "-n", "--no-cli", "--no-tls", "--no-dtls", "--fingerprint", "--no-multicast-peers",
            $"--listening-ip={address}", $"--relay-ip={address}", string.Create(CultureInfo.InvariantCulture, $"--listening-port={port}"),
            string.Create(CultureInfo.InvariantCulture, $"--min-port={minRelay}"), string.Create(CultureInfo.InvariantCulture, $"--max-port={minRelay + 99}"),
            "--use-auth-secret", $"--static-auth-secret={secret}", "--realm=liveclassroom-test",
            $"--userdb={Path.Combine(dir, "turndb")}", $"--pidfile={Path.Combine(dir, "turnserver.pid")}",
            "--log-file=stdout", "--simple-log",
        })
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("turnserver did not start");
        var turn = new TurnServerProcess(process, dir, address, port, secret);
        process.OutputDataReceived += (_, e) => turn.Append(e.Data);
        process.ErrorDataReceived += (_, e) => turn.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await turn.WaitListeningAsync();
        }
        catch
        {
            await turn.DisposeAsync();
            throw;
        }
        return turn;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private async Task WaitListeningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"turnserver exited with code {_process.ExitCode}:\n{Log}");
            }
            using var probe = new Socket(Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(Address, Port));
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"turnserver did not listen on {Address}:{Port} within 30 s:\n{Log}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
