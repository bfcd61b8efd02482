using System.Globalization;

namespace LiveClassroom.Media.Diagnostics;

/// <summary>
/// CPU time (user + system) of this process's threads, read from Linux /proc (proc(5): <c>/proc/self/task/TID/stat</c>,
/// utime and stime, fields 14 and 15, in clock ticks). Elsewhere, or for a thread that has ended, it reads zero.
/// </summary>
public static class ThreadCpu
{
    // USER_HZ: 100 on every Linux architecture .NET runs on (sysconf(_SC_CLK_TCK)).
    private const double ClockTicksPerSecond = 100.0;

    /// <summary>The calling thread's kernel thread id (from <c>/proc/thread-self</c> → <c>PID/task/TID</c>), or null off Linux.</summary>
    public static int? CurrentThreadId()
    {
        try
        {
            var target = new DirectoryInfo("/proc/thread-self").LinkTarget;
            return target is not null && int.TryParse(Path.GetFileName(target), NumberStyles.None, CultureInfo.InvariantCulture, out var tid) ? tid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>CPU time of the threads with these kernel ids.</summary>
    public static TimeSpan Of(IEnumerable<int> threadIds)
    {
        ArgumentNullException.ThrowIfNull(threadIds);
        var ticks = 0L;
        foreach (var tid in threadIds)
        {
            ticks += Ticks(Path.Combine("/proc/self/task", tid.ToString(CultureInfo.InvariantCulture)));
        }
        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }

    /// <summary>CPU time of this process's threads whose name (as the kernel keeps it: 15 characters) starts with <paramref name="prefix"/>.</summary>
    public static TimeSpan OfThreadsNamed(string prefix)
    {
        var ticks = 0L;
        if (!Directory.Exists("/proc/self/task"))
        {
            return TimeSpan.Zero;
        }
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim().StartsWith(prefix, StringComparison.Ordinal))
                {
                    ticks += Ticks(task);
                }
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }
        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }

    private static long Ticks(string taskDirectory)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(taskDirectory, "stat"));
            // The name may hold spaces and parentheses: fields are counted after the last ")". State is field 3.
            var close = stat.LastIndexOf(')');
            var fields = close < 0 || close + 2 > stat.Length ? [] : stat[(close + 2)..].Split(' ');
            return fields.Length > 12
                && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
                && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
                ? user + system
                : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
