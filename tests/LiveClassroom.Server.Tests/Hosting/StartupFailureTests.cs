using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LiveClassroom.Testing;

namespace LiveClassroom.Server.Tests.Hosting;

/// <summary>The real server binary, started as a process, failing for reasons an operator can fix.</summary>
public sealed class StartupFailureTests
{
    private sealed record Outcome(int ExitCode, string StdOut, string StdErr);

    private static async Task<Outcome> RunServerAsync(IDictionary<string, string?> env)
    {
        var psi = new ProcessStartInfo("dotnet", [RepoPaths.ServerDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(RepoPaths.ServerDll)!,
        };
        psi.Environment.Remove("LIVECLASSROOM_DB");
        psi.Environment["Logging__Console__FormatterName"] = "simple";
        psi.Environment["Seed__DemoPassword"] = "x-test-password";
        psi.Environment["Media__UdpPort"] = "0";
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException("the server did not exit within 90 s; stdout so far: " + await stdout);
        }
        return new Outcome(p.ExitCode, await stdout, await stderr);
    }

    private static void AssertOneLineError(Outcome o, string expected)
    {
        Assert.NotEqual(0, o.ExitCode);
        var lines = o.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line on stderr, got: " + o.StdErr);
        Assert.StartsWith("liveclassroom: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", o.StdErr + o.StdOut, StringComparison.Ordinal);
    }

    private static int FreePort() => LiveClassroom.Testing.Network.LocalPorts.FreeForTcp(IPAddress.Loopback);

    [Fact]
    public async Task Start_MalformedConnectionString_OneLineErrorWithoutSecret()
    {
        var o = await RunServerAsync(new Dictionary<string, string?>
        {
            ["LIVECLASSROOM_DB"] = "Host=127.0.0.1;Password=s3cr3t-value;Bogus Key Without Value",
            ["LIVECLASSROOM_URLS"] = $"http://127.0.0.1:{FreePort()}",
        });

        AssertOneLineError(o, "connection string is malformed");
        Assert.DoesNotContain("s3cr3t-value", o.StdErr + o.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnreachableDatabase_OneLineErrorNamingIt()
    {
        var deadPort = FreePort();
        var o = await RunServerAsync(new Dictionary<string, string?>
        {
            ["LIVECLASSROOM_DB"] = $"Host=127.0.0.1;Port={deadPort};Username=x;Password=y;Database=z;Timeout=3",
            ["LIVECLASSROOM_URLS"] = $"http://127.0.0.1:{FreePort()}",
        });

        AssertOneLineError(o, $"cannot reach the database at 127.0.0.1:{deadPort}/z");
    }

    [Fact]
    public async Task Start_HttpPortInUse_OneLineErrorNamingThePort()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var o = await RunServerAsync(new Dictionary<string, string?>
        {
            ["LIVECLASSROOM_DB"] = db.ConnectionString,
            ["LIVECLASSROOM_URLS"] = $"http://127.0.0.1:{port}",
        });

        AssertOneLineError(o, "already in use");
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), o.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_HttpsUrlWithoutCertificate_OneLineErrorSayingWhatToSet()
    {
        var o = await RunServerAsync(new Dictionary<string, string?>
        {
            ["LIVECLASSROOM_URLS"] = $"http://127.0.0.1:{FreePort()};https://127.0.0.1:{FreePort()}",
        });

        AssertOneLineError(o, "Kestrel__Certificates__Default__Path");
    }

    [Fact]
    public async Task Start_HttpsCertificateFileMissing_OneLineErrorNamingTheFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), "lc-missing-" + Guid.NewGuid().ToString("N") + ".crt");
        var o = await RunServerAsync(new Dictionary<string, string?>
        {
            ["LIVECLASSROOM_URLS"] = $"https://127.0.0.1:{FreePort()}",
            ["Kestrel__Certificates__Default__Path"] = missing,
        });

        AssertOneLineError(o, missing);
    }

    [Fact]
    public async Task Start_NoDatabaseConfigured_OneLineErrorSayingWhatToSet()
    {
        var o = await RunServerAsync(new Dictionary<string, string?>
        {
            ["LIVECLASSROOM_URLS"] = $"http://127.0.0.1:{FreePort()}",
        });

        AssertOneLineError(o, "LIVECLASSROOM_DB");
    }
}
