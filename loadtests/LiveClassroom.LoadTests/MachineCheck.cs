using System.Diagnostics;
using System.Security.Cryptography;

namespace LiveClassroom.LoadTests;

/// <summary>
/// How well this machine runs two busy threads at once, right now, with no I/O and nothing shared: AES-128-GCM over
/// 1,000-byte buffers (the SFU's per-subscriber work without the sockets) on one thread, then on as many threads as
/// the SFU has workers, each for the same window. Printed beside the SFU's scaling ratio: on a VM whose virtual CPUs
/// the host sometimes places on one physical core's two hyperthreads, or shares with other guests, two threads get
/// far less than twice one, and the SFU's ratio can say nothing better than that. Also how far the slowest of the
/// threads fell behind the fastest: one virtual CPU slower than the other at that moment (a busy neighbour on its host
/// core) leaves a split fan-out waiting for the slow thread's chunks. Compute only; takes 2 × window.
/// </summary>
internal static class MachineCheck
{
    /// <returns>Operations per second of all threads ÷ one thread's alone; the slowest thread's ÷ the fastest's.</returns>
    public static (double Ratio, double Slowest) Scaling(int threads, TimeSpan window)
    {
        var (one, _) = Run(1, window);
        var (many, slowest) = Run(Math.Max(1, threads), window);
        return (one <= 0 ? 0 : many / one, slowest);
    }

    private static (double PerSecond, double Slowest) Run(int threads, TimeSpan window)
    {
        var counts = new long[threads];
        using var start = new Barrier(threads + 1);
        var stopAt = 0L;
        var workers = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            var index = t;
            workers[t] = new Thread(() =>
            {
                using var aes = new AesGcm(new byte[16], 16);
                var nonce = new byte[12];
                var plain = new byte[1000];
                var cipher = new byte[1000];
                var tag = new byte[16];
                start.SignalAndWait();
                long n = 0;
                while (Stopwatch.GetTimestamp() < Volatile.Read(ref stopAt))
                {
                    nonce[0] = (byte)n;
                    aes.Encrypt(nonce, plain, cipher, tag);
                    n++;
                }
                counts[index] = n;
            }) { IsBackground = true, Name = "machine-check" };
            workers[t].Start();
        }
        Volatile.Write(ref stopAt, Stopwatch.GetTimestamp() + (long)(window.TotalSeconds * Stopwatch.Frequency));
        var clock = Stopwatch.StartNew();
        start.SignalAndWait();
        foreach (var w in workers)
        {
            w.Join();
        }
        return (counts.Sum() / Math.Max(clock.Elapsed.TotalSeconds, 1e-6), counts.Min() / (double)Math.Max(1, counts.Max()));
    }
}
