using System.Diagnostics;
using LiveClassroom.Testing;

namespace LiveClassroom.Server.Tests.Deployment;

/// <summary>Validates docker-compose.yml with Debian's docker-compose (there is no Docker engine here).</summary>
public sealed class ComposeFileTests
{
    private static async Task<(int Code, string Out, string Err)> ComposeAsync(bool withSecrets, params string[] args)
    {
        var psi = new ProcessStartInfo("docker-compose", ["-f", Path.Combine(RepoPaths.Root, "docker-compose.yml"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        psi.Environment.Remove("POSTGRES_PASSWORD");
        psi.Environment.Remove("TURN_SECRET");
        if (withSecrets)
        {
            psi.Environment["POSTGRES_PASSWORD"] = "compose-test-pw";
            psi.Environment["TURN_SECRET"] = "compose-test-turn";
        }
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await o, await e);
    }

    [Fact]
    public async Task Config_WithSecrets_IsValidAndHasTheProductionServices()
    {
        var (code, _, err) = await ComposeAsync(true, "config", "-q");
        Assert.True(code == 0, err);

        var (_, services, _) = await ComposeAsync(true, "config", "--services");
        var names = services.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["coturn", "node1", "node2", "postgres"], names.Order().ToArray());
    }

    [Fact]
    public async Task Config_NodesExposeDistinctHttpAndMediaPortsAndShareTheDatabase()
    {
        var (code, yaml, err) = await ComposeAsync(true, "config");
        Assert.True(code == 0, err);

        Assert.Contains("published: 8081", yaml, StringComparison.Ordinal);
        Assert.Contains("published: 8082", yaml, StringComparison.Ordinal);
        Assert.Contains("40001", yaml, StringComparison.Ordinal);
        Assert.Contains("40002", yaml, StringComparison.Ordinal);
        Assert.Contains("protocol: udp", yaml, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(yaml, "Host=postgres;Port=5432"));
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "Dockerfile")));
    }

    [Fact]
    public async Task Config_CoturnAndBothNodesShareTheTurnSecretAndNodesOpenTcpMedia()
    {
        var (code, yaml, err) = await ComposeAsync(true, "config");
        Assert.True(code == 0, err);

        Assert.Contains("--static-auth-secret=compose-test-turn", yaml, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(yaml, "Turn__Secret: compose-test-turn"));
        Assert.Equal(2, CountOf(yaml, "Turn__Urls: turn:"));
        Assert.Equal(2, CountOf(yaml, "protocol: tcp\n      published: 4000"));
    }

    [Fact]
    public async Task Config_WithoutSecrets_RefusesToRender()
    {
        var (code, _, err) = await ComposeAsync(false, "config", "-q");

        Assert.NotEqual(0, code);
        Assert.Contains("POSTGRES_PASSWORD", err, StringComparison.Ordinal);
    }

    private static int CountOf(string s, string what)
    {
        var n = 0;
        for (var i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }
}
