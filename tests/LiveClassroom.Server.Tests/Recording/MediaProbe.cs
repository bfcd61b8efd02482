using System.Diagnostics;
using System.Globalization;

namespace LiveClassroom.Server.Tests.Recording;

/// <summary>ffprobe, for asserting on real outputs.</summary>
public static class MediaProbe
{
    public sealed record Info(double Duration, IReadOnlyList<string> Streams);

    /// <summary>Duration and "type:codec" of each stream; null when ffprobe cannot read the file.</summary>
    public static async Task<Info?> ProbeAsync(string file)
    {
        var psi = new ProcessStartInfo("ffprobe")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["-v", "error", "-show_entries", "format=duration:stream=codec_type,codec_name", "-of", "default=noprint_wrappers=1", file])
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            return null;
        }
        double duration = 0;
        var streams = new List<string>();
        string? codec = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("codec_name=", StringComparison.Ordinal))
            {
                codec = line["codec_name=".Length..];
            }
            else if (line.StartsWith("codec_type=", StringComparison.Ordinal))
            {
                streams.Add(line["codec_type=".Length..] + ":" + codec);
            }
            else if (line.StartsWith("duration=", StringComparison.Ordinal))
            {
                double.TryParse(line["duration=".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out duration);
            }
        }
        return new Info(duration, streams);
    }
}
