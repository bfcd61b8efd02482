using System.Diagnostics;
using System.Globalization;
using LiveClassroom.LoadTests;

// Forwarding benchmark across workers (ForwardingBenchmark.cs): 1 publisher → 50/150/300/600 subscribers with 1 worker and
// with all of them, in one run; real-rate figures, capacity, scaling ratio, memory per subscriber.
// Usage: dotnet run -c Release --project loadtests/LiveClassroom.LoadTests -- workers [--seconds 8] [--subscribers 50,150,300,600]
//        [--workers <cores>] [--offered-pps 400000] [--capacity-seconds 3] [--srtp gcm|cm]
// Single-room benchmark: 1 publisher → N subscribers over loopback UDP through a real MediaServer, all peers synthetic
// (ICE, DTLS, SRTP from the same library). Prints forwarded packets per CPU-second and the added latency.
// Usage: dotnet run -c Release --project loadtests/LiveClassroom.LoadTests -- [--seconds 10] [--subscribers 1,10,50]
//        [--video-bps 1200000] [--srtp gcm|cm] [--start-seq 65000] [--wrap-seconds 75] [--wrap-video-bps 8000000]
// The first run (1 subscriber, --wrap-seconds at --wrap-video-bps; 0 skips it) is long enough for every sequence number
// to wrap: > 65,536 video packets, so the slot's outgoing numbering (which starts below 32,768) wraps too.
//        memory [--subscribers 50,150,300,600] [--seconds 10] [--workers <cores>]: memory per subscriber of the SFU
//        alone, the media server in a child process (`sfu-host`, Memory/SfuHost.cs) and the peers in this one.
//        soak [--minutes 45] [--classrooms 20] [--video-bps 1200000] …: a whole class at real rate (see Soak.cs).
//        cluster [--connections 500] [--calls 2000] [--messages 100]: two server processes as one Orleans cluster —
//        grain call latency, event fan-out, failover (Cluster/ClusterBenchmark.cs; run it with cluster.sh).
//        cascade [--classrooms 600] [--capacity n] [--seconds 20] [--layers 50,30] [--join-seconds 600] [--join-parallel 6]
//        [--receive poller|threads]:
//        one class across three server processes — per-node forwarding and CPU, latency per hop, loss, edge kill
//        (Cascade/CascadeBenchmark.cs; run it with cluster.sh cascade).
if (args.Length > 0 && args[0] == "workers")
{
    return ForwardingBenchmark.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "memory")
{
    return LiveClassroom.LoadTests.Memory.MemoryBenchmark.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "sfu-host")
{
    return LiveClassroom.LoadTests.Memory.SfuHost.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "soak")
{
    return Soak.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "cascade")
{
    return await LiveClassroom.LoadTests.Cascade.CascadeBenchmark.RunAsync(args[1..]);
}
if (args.Length > 0 && args[0] == "cluster")
{
    return await LiveClassroom.LoadTests.Cluster.ClusterBenchmark.RunAsync(args[1..]);
}
var seconds = 10;
var subscriberCounts = new[] { 1, 10, 50 };
var wrapSeconds = 75;
long wrapVideoBps = 8_000_000;
var stream = new StreamOptions { StartSeq = 65_000 };
for (var i = 0; i + 1 < args.Length; i += 2)
{
    if (stream.TryApply(args[i], args[i + 1]))
    {
        continue;
    }
    switch (args[i])
    {
        case "--seconds":
            seconds = Math.Clamp(int.Parse(args[i + 1], CultureInfo.InvariantCulture), 1, 120);
            break;
        case "--subscribers":
            subscriberCounts = args[i + 1].Split(',').Select(s => Math.Clamp(int.Parse(s, CultureInfo.InvariantCulture), 1, 1000)).ToArray();
            break;
        case "--wrap-seconds":
            wrapSeconds = Math.Clamp(int.Parse(args[i + 1], CultureInfo.InvariantCulture), 0, 600);
            break;
        case "--wrap-video-bps":
            wrapVideoBps = Math.Clamp(long.Parse(args[i + 1], CultureInfo.InvariantCulture), 100_000, 50_000_000);
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}
var srtp = stream.Srtp;
var startSeq = stream.StartSeq;
var defaultVideoBps = stream.VideoBps;

Console.WriteLine($"LiveClassroom SFU forwarding benchmark: {seconds} s per run, video {defaultVideoBps / 1000} kbps + Opus 50 pps, SRTP {srtp}, publisher sequence from {startSeq}, {Environment.ProcessorCount} cores");
Console.WriteLine("subs | s | video kbps | in pps | fwd pps | delivered | loss % | decrypt fail | SFU-thread CPU s | fwd pkts / SFU-CPU-s | process CPU s | fwd pkts / process-CPU-s | latency p50 µs | p99 µs | alloc B / fwd pkt: process, synthetic peers, SFU packet thread");
if (wrapSeconds > 0)
{
    Run(1, wrapSeconds, wrapVideoBps);
}
foreach (var n in subscriberCounts)
{
    Run(n, seconds, defaultVideoBps);
}
return 0;

void Run(int subscriberCount, int seconds, long videoBps)
{
    var packetsPerSecond = (int)(videoBps / 8 / 1000 + 50) + 50;
    using var bench = BenchRoom.Start(subscriberCount, srtp, packetsPerSecond * (seconds + 3));
    var room = bench.Room;
    var publisherPeer = bench.PublisherPeer;
    var subscribers = bench.Subscribers;
    var publisher = new Publisher(publisherPeer, videoBps, startSeq);
    using var stop = new CancellationTokenSource();
    var sender = BenchRoom.StartSending(publisher, stop.Token);
    // Warm-up: first keyframe through, JIT done; then measure from a clean slate.
    BenchRoom.WaitUntil(() => subscribers.All(s => s.Received > 0), TimeSpan.FromSeconds(10));
    bench.Hold(TimeSpan.FromSeconds(1));
    foreach (var s in subscribers)
    {
        s.ResetCounters();
    }
    var sentBefore = publisher.PacketsSent;
    var forwardedBefore = room.GetStats().Sum(s => s.PacketsForwarded);
    var sfuCpuBefore = bench.Server.PacketThreadCpu;
    var processCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var packetThreadBefore = room.Engine.PacketThreadAllocatedBytes;
    var peersAllocatedBefore = subscribers.Sum(s => s.PumpAllocatedBytes) + publisherPeer.PumpAllocatedBytes + publisher.AllocatedBytes;
    var wall = Stopwatch.StartNew();
    bench.Hold(TimeSpan.FromSeconds(seconds));
    var sfuCpu = bench.Server.PacketThreadCpu - sfuCpuBefore;
    var processCpu = Process.GetCurrentProcess().TotalProcessorTime - processCpuBefore;
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    var packetThread = room.Engine.PacketThreadAllocatedBytes - packetThreadBefore;
    var peersAllocated = subscribers.Sum(s => s.PumpAllocatedBytes) + publisherPeer.PumpAllocatedBytes + publisher.AllocatedBytes - peersAllocatedBefore;
    var elapsed = wall.Elapsed.TotalSeconds;
    var sent = publisher.PacketsSent - sentBefore;
    var forwarded = room.GetStats().Sum(s => s.PacketsForwarded) - forwardedBefore;
    stop.Cancel();
    sender.Join();
    Thread.Sleep(200);
    var delivered = subscribers.Sum(s => s.Received);
    var decryptFailures = subscribers.Sum(s => s.DecryptFailures);

    var samples = new List<long>();
    foreach (var s in subscribers)
    {
        foreach (var l in s.Latencies)
        {
            samples.Add(l);
        }
    }
    samples.Sort();
    double Percentile(double p) => samples.Count == 0 ? double.NaN
        : samples[Math.Min(samples.Count - 1, (int)(p * samples.Count))] * 1_000_000.0 / Stopwatch.Frequency;
    var expected = (double)sent * subscriberCount;
    var loss = expected <= 0 ? 0 : Math.Max(0, 1 - delivered / expected) * 100;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{subscriberCount,4} | {seconds,3} | {videoBps / 1000,10} | {sent / elapsed,6:F0} | {forwarded / elapsed,7:F0} | {delivered,9} | {loss,6:F2} | {decryptFailures,12} | {sfuCpu.TotalSeconds,16:F2} | {forwarded / Math.Max(sfuCpu.TotalSeconds, 0.01),20:F0} | {processCpu.TotalSeconds,13:F2} | {forwarded / Math.Max(processCpu.TotalSeconds, 0.01),24:F0} | {Percentile(0.50),14:F0} | {Percentile(0.99),6:F0} | {allocated / Math.Max(1.0, forwarded),8:F1}, {peersAllocated / Math.Max(1.0, forwarded),5:F1}, {packetThread / Math.Max(1.0, forwarded),5:F2}"));
}
