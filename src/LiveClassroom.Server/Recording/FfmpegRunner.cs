using System.Diagnostics;

namespace LiveClassroom.Server.Recording;

/// <summary>Runs a short ffmpeg/ffprobe command to completion (no shell), with a deadline.</summary>
public static class FfmpegRunner
{
    public sealed record Result(int ExitCode, string StdOut, string StdErrTail)
    {
        public bool Ok => ExitCode == 0;
    }

    public static async Task<Result> RunAsync(string path, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {path}");
        process.StandardInput.Close();
        var tail = new StderrTail(30);
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(ct) is { } line)
            {
                tail.Add(line);
            }
        }, ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            if (ct.IsCancellationRequested)
            {
                throw;
            }
            throw new TimeoutException($"{Path.GetFileName(path)} did not finish within {timeout.TotalSeconds:0} s");
        }
        var output = await stdout;
        await stderr;
        return new Result(process.ExitCode, output, tail.ToString());
    }
}
