using System.Diagnostics;
using System.Globalization;

namespace LiveClassroom.Media.Benchmarks;

/// <summary>Runs an operation in batches for a fixed time and prints operations per second and bytes allocated per operation.</summary>
internal static class Measure
{
    public static void Run(string name, TimeSpan duration, int batch, Func<int, int> operation)
    {
        // Warm-up lets tiered compilation reach optimised code before timing.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromMilliseconds(300))
        {
            operation(batch);
        }
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long ops = 0;
        var check = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < duration)
        {
            check += operation(batch);
            ops += batch;
        }
        sw.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var perSecond = ops / sw.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-44} {perSecond,12:N0} ops/s   {1e9 / perSecond,8:N0} ns/op   {(double)allocated / ops,6:N1} B/op   (ok {check:N0}/{ops:N0})"));
    }
}
