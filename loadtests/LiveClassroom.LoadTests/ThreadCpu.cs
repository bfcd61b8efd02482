using System.Globalization;

namespace LiveClassroom.LoadTests;

/// <summary>CPU time of this process's threads whose name starts with a prefix, from /proc (Linux only).</summary>
internal static class ThreadCpu
{
    private const double ClockTicksPerSecond = 100.0;

    public static TimeSpan OfThreadsNamed(string prefix)
    {
        var total = 0L;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var comm = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                if (!comm.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                // Fields after the ")" that closes the name: state is field 3, utime 14, stime 15.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                total += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }
        return TimeSpan.FromSeconds(total / ClockTicksPerSecond);
    }
}
