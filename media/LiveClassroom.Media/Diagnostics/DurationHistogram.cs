using System.Diagnostics;
using System.Numerics;

namespace LiveClassroom.Media.Diagnostics;

/// <summary>
/// Durations in power-of-two buckets of microseconds (bucket 0: under 1 µs; bucket i: [2^(i−1), 2^i) µs), added to from
/// any thread without a lock and read as counts: cheap enough for once per lock hold on the packet path. The room lock's
/// hold and wait times (issue #17: a receive batch holds it for a whole split fan-out) are read by the benchmarks.
/// </summary>
internal sealed class DurationHistogram
{
    public const int BucketCount = 32;
    private static readonly double TicksPerMicrosecond = Stopwatch.Frequency / 1_000_000.0;
    private readonly long[] _buckets = new long[BucketCount];
    private long _maxTicks;

    /// <summary>Records a duration in Stopwatch ticks.</summary>
    public void Record(long ticks)
    {
        var micros = (ulong)Math.Max(0, (long)(ticks / TicksPerMicrosecond));
        var bucket = micros == 0 ? 0 : Math.Min(BucketCount - 1, 64 - BitOperations.LeadingZeroCount(micros));
        Interlocked.Increment(ref _buckets[bucket]);
        var max = Volatile.Read(ref _maxTicks);
        while (ticks > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxTicks, ticks, max);
            if (seen == max)
            {
                break;
            }
            max = seen;
        }
    }

    /// <summary>The counts so far (subtract two readings for a window).</summary>
    public long[] Counts()
    {
        var counts = new long[BucketCount];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _buckets[i]);
        }
        return counts;
    }

    /// <summary>The longest duration recorded since the last call, in microseconds; starts the next window.</summary>
    public double TakeMaxMicroseconds() => Interlocked.Exchange(ref _maxTicks, 0) / TicksPerMicrosecond;

    /// <summary>The upper bound, in microseconds, of the bucket that holds the given quantile of a window's counts.</summary>
    public static double Quantile(ReadOnlySpan<long> counts, double quantile)
    {
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }
        if (total == 0)
        {
            return double.NaN;
        }
        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return i == 0 ? 1 : Math.Pow(2, i);
            }
        }
        return Math.Pow(2, counts.Length - 1);
    }
}
