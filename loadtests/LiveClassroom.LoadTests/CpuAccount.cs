using System.Globalization;
using System.Text;

namespace LiveClassroom.LoadTests;

/// <summary>
/// Where the machine's CPU went over a measurement window (Linux /proc, proc(5)): the whole machine from /proc/stat
/// (busy, of which softirq; idle), the kernel's ksoftirqd threads, and every thread of this process from
/// /proc/self/task/TID/stat, grouped by the caller (an SFU's packet threads one by one, the load generator's threads,
/// the rest of the runtime). "Other processes" is the machine's busy time minus this process and ksoftirqd: what other
/// work on the machine took meanwhile. All in cores (CPU-seconds per second). Without IRQ time accounting (this
/// kernel) a softirq run on the back of a system call is charged to the thread that made it: the SFU's sends carry the
/// loopback receive path of their datagrams.
/// </summary>
internal sealed class CpuAccount
{
    // USER_HZ (sysconf(_SC_CLK_TCK)) is 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100.0;
    private static readonly int[] SoftirqThreads = FindSoftirqThreads();

    private readonly long _stamp;
    private readonly long[] _machine;
    private readonly Dictionary<int, (string Name, long Ticks)> _threads;
    private readonly long _softirqd;

    private CpuAccount(long stamp, long[] machine, Dictionary<int, (string Name, long Ticks)> threads, long softirqd)
    {
        _stamp = stamp;
        _machine = machine;
        _threads = threads;
        _softirqd = softirqd;
    }

    public static CpuAccount Take()
    {
        var threads = new Dictionary<int, (string, long)>();
        if (Directory.Exists("/proc/self/task"))
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                if (int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var tid)
                    && ReadTaskStat(Path.Combine(task, "stat")) is { } stat)
                {
                    threads[tid] = stat;
                }
            }
        }
        long softirqd = 0;
        foreach (var pid in SoftirqThreads)
        {
            softirqd += ReadTaskStat($"/proc/{pid}/stat")?.Ticks ?? 0;
        }
        return new CpuAccount(System.Diagnostics.Stopwatch.GetTimestamp(), ReadMachine(), threads, softirqd);
    }

    /// <summary>Cores used between <paramref name="before"/> and this reading by the threads <paramref name="pick"/> selects.</summary>
    public double Cores(CpuAccount before, Func<int, string, bool> pick)
    {
        long ticks = 0;
        foreach (var (tid, (name, now)) in _threads)
        {
            if (pick(tid, name))
            {
                ticks += now - (before._threads.TryGetValue(tid, out var then) ? then.Ticks : 0);
            }
        }
        return ticks / TicksPerSecond / Seconds(before);
    }

    /// <summary>
    /// One line: machine busy / softirq / idle, ksoftirqd, other processes, then this process's groups (name → picks a
    /// thread by kernel id and name; a thread counts in the first group that picks it; "rest" is what none picked).
    /// </summary>
    public string Describe(CpuAccount before, IReadOnlyList<(string Label, Func<int, string, bool> Pick)> groups)
    {
        var seconds = Seconds(before);
        double Machine(int index) => (_machine[index] - before._machine[index]) / TicksPerSecond / seconds;
        var total = 0.0;
        for (var i = 0; i < _machine.Length; i++)
        {
            total += Machine(i);
        }
        var idle = Machine(3) + Machine(4);
        // Steal: time a vCPU wanted to run but its host ran something else (proc(5)); neither busy here nor idle.
        var steal = Machine(7);
        var process = Cores(before, (_, _) => true);
        var softirqd = (_softirqd - before._softirqd) / TicksPerSecond / seconds;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"busy {total - idle - steal:F2} of {total:F2} cores (softirq {Machine(6):F2}, idle {idle:F2}, stolen by the host {steal:F2}); other processes {Math.Max(0, total - idle - steal - process - softirqd):F2}; ksoftirqd {softirqd:F2}; this process {process:F2}:");
        var taken = new HashSet<int>();
        foreach (var (label, pick) in groups)
        {
            var cores = Cores(before, (tid, name) => !taken.Contains(tid) && pick(tid, name) && taken.Add(tid));
            text.Append(CultureInfo.InvariantCulture, $" {label} {cores:F2};");
        }
        text.Append(CultureInfo.InvariantCulture, $" rest {Cores(before, (tid, _) => !taken.Contains(tid)):F2}");
        return text.ToString();
    }

    private double Seconds(CpuAccount before) =>
        Math.Max(1e-3, (_stamp - before._stamp) / (double)System.Diagnostics.Stopwatch.Frequency);

    // /proc/stat's first line: user nice system idle iowait irq softirq steal (guest time is inside user already).
    private static long[] ReadMachine()
    {
        var values = new long[8];
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < values.Length && i + 1 < fields.Length; i++)
            {
                values[i] = long.Parse(fields[i + 1], CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
        }
        return values;
    }

    private static (string Name, long Ticks)? ReadTaskStat(string path)
    {
        try
        {
            var stat = File.ReadAllText(path);
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open || close + 2 > stat.Length)
            {
                return null;
            }
            // Fields after the name: state is the first; utime and stime are the 12th and 13th.
            var fields = stat[(close + 2)..].Split(' ');
            return fields.Length > 12
                && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
                && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
                ? (stat[(open + 1)..close], user + system)
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int[] FindSoftirqThreads()
    {
        var found = new List<int>();
        try
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && File.Exists(Path.Combine(dir, "comm"))
                    && File.ReadAllText(Path.Combine(dir, "comm")).StartsWith("ksoftirqd/", StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return [.. found];
    }
}
