using System.Diagnostics;
using System.Globalization;

namespace LiveClassroom.LoadTests;

/// <summary>
/// Soak run (a benchmark, not a test): one synthetic teacher (VP8-shaped video + Opus-sized audio at 50 pps) → N synthetic
/// classrooms through a real MediaServer on loopback, at real rate for a whole class (default 45 minutes). Each minute it
/// prints what was delivered, the loss, SRTP failures at the subscribers and at the SFU, and the process's resident memory,
/// which must stay flat. The peers refresh ICE consent every 5 s as browsers do (RFC 7675), so the SFU keeps them.
/// </summary>
internal static class Soak
{
    public static int Run(string[] args)
    {
        var minutes = 45;
        var classrooms = 20;
        var workers = Environment.ProcessorCount;
        var stream = new StreamOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (stream.TryApply(args[i], args[i + 1]))
            {
                continue;
            }
            switch (args[i])
            {
                case "--minutes":
                    minutes = Math.Clamp(int.Parse(args[i + 1], CultureInfo.InvariantCulture), 1, 240);
                    break;
                case "--workers":
                    workers = Math.Clamp(int.Parse(args[i + 1], CultureInfo.InvariantCulture), 1, 64);
                    break;
                case "--classrooms":
                    classrooms = Math.Clamp(int.Parse(args[i + 1], CultureInfo.InvariantCulture), 1, 200);
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }
        var videoBps = stream.VideoBps;
        var srtp = stream.Srtp;

        using var bench = BenchRoom.Start(classrooms, srtp, latencyCapacity: 1, workers);
        var publisher = new Publisher(bench.PublisherPeer, videoBps, stream.StartSeq);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"LiveClassroom SFU soak: {minutes} min at real rate, 1 teacher → {classrooms} classrooms, video {videoBps / 1000} kbps ({publisher.VideoPacketsPerSecond} pps) + audio 50 pps, SRTP {srtp}, {workers} packet worker(s) on {Environment.ProcessorCount} cores"));
        Console.WriteLine("min | teacher pkts | video pkts total | delivered | expected | loss % | decrypt fail (subs) | SRTP fail (SFU) | RSS MB | GC heap MB");
        using var stop = new CancellationTokenSource();
        var sender = BenchRoom.StartSending(publisher, stop.Token);
        var clock = Stopwatch.StartNew();
        long sentBefore = 0;
        long deliveredBefore = 0;
        long decryptBefore = 0;
        var rss = new List<double>();
        var totalLost = 0L;
        for (var minute = 1; minute <= minutes; minute++)
        {
            bench.Hold(TimeSpan.FromMinutes(minute) - clock.Elapsed);
            var sent = publisher.PacketsSent;
            var delivered = bench.Subscribers.Sum(s => s.Received);
            var decrypt = bench.Subscribers.Sum(s => s.DecryptFailures);
            var expected = (sent - sentBefore) * classrooms;
            var got = delivered - deliveredBefore;
            // Packets in flight at the minute's edge count in the next minute; the total at the end settles it.
            var loss = expected <= 0 ? 0 : (expected - got) * 100.0 / expected;
            using var process = Process.GetCurrentProcess();
            var residentMb = process.WorkingSet64 / 1048576.0;
            rss.Add(residentMb);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{minute,3} | {sent - sentBefore,12} | {publisher.VideoPacketsSent,16} | {got,9} | {expected,8} | {loss,6:F3} | {decrypt - decryptBefore,19} | {bench.Room.Engine.SrtpFailures,15} | {residentMb,6:F1} | {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0,10:F1}"));
            sentBefore = sent;
            deliveredBefore = delivered;
            decryptBefore = decrypt;
        }
        stop.Cancel();
        sender.Join();
        var total = publisher.PacketsSent * classrooms;
        var settled = WaitForDrain(bench, total);
        totalLost = total - settled;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total: {publisher.PacketsSent} teacher packets ({publisher.VideoPacketsSent} video: {publisher.VideoPacketsSent / 65536.0:F2} sequence cycles), delivered {settled} of {total} (lost {totalLost}), decrypt failures {bench.Subscribers.Sum(s => s.DecryptFailures)}, SFU SRTP failures {bench.Room.Engine.SrtpFailures}"));
        var (jobs, laneChunks, chunks) = bench.Server.FanOutCounts;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"workers: datagrams received per worker {string.Join('/', bench.Server.WorkerPacketCounts())}; fan-outs split over the lanes {jobs} (lanes ran {(chunks == 0 ? 0 : laneChunks * 100.0 / chunks):F0} % of their chunks)"));
        if (rss.Count > 1)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"resident memory after minute 1: min {rss.Skip(1).Min():F1} MB, max {rss.Skip(1).Max():F1} MB, last − minute 2: {rss[^1] - rss[Math.Min(1, rss.Count - 1)]:+0.0;-0.0} MB"));
        }
        return 0;
    }

    // After the publisher stops, waits (bounded) until the subscribers stop receiving more.
    private static long WaitForDrain(BenchRoom bench, long total)
    {
        var last = -1L;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            var now = bench.Subscribers.Sum(s => s.Received);
            if (now >= total || now == last)
            {
                return now;
            }
            last = now;
            Thread.Sleep(250);
        }
        return bench.Subscribers.Sum(s => s.Received);
    }
}
