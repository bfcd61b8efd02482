using System.Diagnostics;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// A long-running ffmpeg child: started with an argument list (no shell), stderr kept as a bounded tail,
/// stopped gracefully with <c>q</c> on stdin so the muxer closes its last segment, killed if it does not comply.
/// </summary>
public sealed class FfmpegProcess : IDisposable
{

    private readonly Process _process;
    private volatile bool _stopRequested;

    private FfmpegProcess(Process process, StderrTail tail)
    {
        _process = process;
        Tail = tail;
        Exited = WaitAsync();
    }

    public int Id => _process.Id;

    public StderrTail Tail { get; }

    /// <summary>Completes with the exit code when the process ends, for whatever reason.</summary>
    public Task<int> Exited { get; }

    /// <summary>True once <see cref="StopAsync"/> or <see cref="Kill"/> was called: the exit is expected.</summary>
    public bool StopRequested => _stopRequested;

    public static FfmpegProcess Start(string path, IEnumerable<string> arguments, string workingDirectory)
    {
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }
        var tail = new StderrTail();
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                tail.Add(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return new FfmpegProcess(process, tail);
    }

    /// <summary>Asks ffmpeg to finish (writes the trailer and the last segment); kills it after <paramref name="grace"/>.</summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        _stopRequested = true;
        if (!Exited.IsCompleted)
        {
            // SIGTERM rather than "q" on stdin: ffmpeg reads its keyboard only between packets, and a class that has
            // ended sends none, whereas the signal also interrupts a blocking read. ffmpeg then closes its outputs
            // properly (last segment, #EXT-X-ENDLIST) and exits with 255. Not SIGINT: a child of a background job
            // inherits SIGINT ignored, and ffmpeg installs its handler only after probing its input.
            if (!await InterruptAsync(_process.Id))
            {
                try
                {
                    await _process.StandardInput.WriteAsync('q');
                    await _process.StandardInput.FlushAsync();
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
                {
                    // Already gone: the exit code below tells what happened.
                }
            }
            if (await Task.WhenAny(Exited, Task.Delay(grace)) != Exited)
            {
                Kill();
            }
        }
        return await Exited;
    }

    public void Kill()
    {
        _stopRequested = true;
        KillUnexpectedly();
    }

    /// <summary>Kills without marking the exit as expected: how a crash looks to the recorder (tests use it).</summary>
    internal void KillUnexpectedly()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    private async Task<int> WaitAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public void Dispose() => _process.Dispose();

    /// <summary>SIGTERM through kill(1): the server project does not allow the unsafe code P/Invoke generation needs.</summary>
    private static async Task<bool> InterruptAsync(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                UseShellExecute = false,
                RedirectStandardError = true,
            });
            if (kill is null)
            {
                return false;
            }
            await kill.WaitForExitAsync();
            return kill.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
