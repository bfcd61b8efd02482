using System.Diagnostics;

namespace LiveClassroom.Testing.Network;

/// <summary>Runs a system tool (ip, nft, tc) to completion and fails with its output when it exits non-zero.</summary>
public static class HostCommand
{
    public static async Task<string> RunAsync(string program, IEnumerable<string> args, string? stdin = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} is not installed ({e.Message}); scripts/test.sh installs iproute2 and nftables", e);
        }
        using (p)
        {
            if (stdin is not null)
            {
                await p.StandardInput.WriteAsync(stdin);
                p.StandardInput.Close();
            }
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await p.WaitForExitAsync(cts.Token);
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"`{program} {string.Join(' ', psi.ArgumentList)}` exited {p.ExitCode}: {(await stderr).Trim()}");
            }
            return await stdout;
        }
    }
}
