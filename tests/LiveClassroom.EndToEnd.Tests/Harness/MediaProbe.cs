using System.Diagnostics;
using System.Globalization;

namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>ffprobe on a produced file: what a viewer's player would see.</summary>
public static class MediaProbe
{
    /// <summary>The container's duration in seconds and the codec type (video/audio) of each stream.</summary>
    public static async Task<(double Duration, IReadOnlyList<string> StreamTypes)> ProbeAsync(string file)
    {
        double duration = double.NaN;
        var types = new List<string>();
        foreach (var line in await FfprobeAsync(file, "format=duration:stream=codec_type"))
        {
            if (line.StartsWith("codec_type=", StringComparison.Ordinal))
            {
                types.Add(line["codec_type=".Length..]);
            }
            else if (line.StartsWith("duration=", StringComparison.Ordinal))
            {
                duration = double.Parse(line["duration=".Length..], CultureInfo.InvariantCulture);
            }
        }
        return (duration, types);
    }

    /// <summary>The largest picture among the file's video streams (width, height).</summary>
    public static async Task<(int Width, int Height)> VideoSizeAsync(string file)
    {
        var (width, height) = (0, 0);
        foreach (var line in await FfprobeAsync(file, "stream=width,height", "-select_streams", "v"))
        {
            if (line.StartsWith("width=", StringComparison.Ordinal))
            {
                width = Math.Max(width, int.Parse(line["width=".Length..], CultureInfo.InvariantCulture));
            }
            else if (line.StartsWith("height=", StringComparison.Ordinal))
            {
                height = Math.Max(height, int.Parse(line["height=".Length..], CultureInfo.InvariantCulture));
            }
        }
        return (width, height);
    }

    private static async Task<string[]> FfprobeAsync(string file, string entries, params string[] extra)
    {
        var psi = new ProcessStartInfo("ffprobe")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["-v", "error", .. extra, "-show_entries", entries, "-of", "default=noprint_wrappers=1", file])
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("ffprobe did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffprobe {file} exited {p.ExitCode}: {await stderr}");
        }
        return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
