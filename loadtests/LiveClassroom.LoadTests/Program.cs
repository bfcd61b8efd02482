using System.Diagnostics;
using System.Globalization;
using System.Net;
using LiveClassroom.Media;
using LiveClassroom.Media.Dtls;
using LiveClassroom.LoadTests;

// Forwarding benchmark: 1 publisher → N subscribers over loopback UDP through a real MediaServer, all peers synthetic
// (ICE, DTLS, SRTP from the same library). Prints forwarded packets per CPU-second and the added latency.
// Usage: dotnet run -c Release --project loadtests/LiveClassroom.LoadTests -- [--seconds 10] [--subscribers 1,10,50]
//        [--video-bps 1200000] [--srtp gcm|cm]
var seconds = 10;
var subscriberCounts = new[] { 1, 10, 50 };
long videoBps = 1_200_000;
var srtp = SrtpProtectionProfileId.AeadAes128Gcm;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--seconds":
            seconds = Math.Clamp(int.Parse(args[i + 1], CultureInfo.InvariantCulture), 1, 120);
            break;
        case "--subscribers":
            subscriberCounts = args[i + 1].Split(',').Select(s => Math.Clamp(int.Parse(s, CultureInfo.InvariantCulture), 1, 200)).ToArray();
            break;
        case "--video-bps":
            videoBps = Math.Clamp(long.Parse(args[i + 1], CultureInfo.InvariantCulture), 100_000, 50_000_000);
            break;
        case "--srtp":
            srtp = args[i + 1] == "cm" ? SrtpProtectionProfileId.AesCm128HmacSha1_80 : SrtpProtectionProfileId.AeadAes128Gcm;
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}

Console.WriteLine($"LiveClassroom SFU forwarding benchmark: {seconds} s per run, video {videoBps / 1000} kbps + Opus 50 pps, SRTP {srtp}, {Environment.ProcessorCount} cores");
Console.WriteLine("subs | in pps | fwd pps | delivered | loss % | SFU-thread CPU s | fwd pkts / SFU-CPU-s | process CPU s | fwd pkts / process-CPU-s | latency p50 µs | p99 µs");
foreach (var n in subscriberCounts)
{
    Run(n);
}
return 0;

void Run(int subscriberCount)
{
    var certificate = DtlsCertificate.Generate("loadtest");
    using var server = new MediaServer(new MediaServerOptions
    {
        BindAddress = IPAddress.Loopback,
        AdvertisedAddresses = [IPAddress.Loopback],
        VideoCodec = VideoCodecPreference.Vp8,
        SrtpProfile = srtp == SrtpProtectionProfileId.AeadAes128Gcm ? SrtpProfilePreference.GcmOnly : SrtpProfilePreference.CmHmacSha1Only,
    });
    var room = server.CreateRoom("bench");
    room.AutoRoute = true;
    var endpoint = server.LocalEndPoint;
    var packetsPerSecond = (int)(videoBps / 8 / 1000 + 50) + 50;
    using var publisherPeer = new SyntheticPeer(certificate, endpoint, 16);
    publisherPeer.Connect(room.Negotiate("publisher", publisherPeer.Offer(true, Publisher.AudioSsrc, Publisher.VideoSsrc, Publisher.RtxSsrc)), srtp);
    var subscribers = new List<SyntheticPeer>();
    try
    {
        for (var i = 0; i < subscriberCount; i++)
        {
            var peer = new SyntheticPeer(certificate, endpoint, packetsPerSecond * (seconds + 3));
            subscribers.Add(peer);
            peer.Connect(room.Negotiate($"s{i}", peer.Offer(false, 0, 0, 0)), srtp);
        }
        WaitUntil(() => room.GetStats().All(s => s.State == "connected"), TimeSpan.FromSeconds(10));

        var publisher = new Publisher(publisherPeer, videoBps);
        using var stop = new CancellationTokenSource();
        var sender = new Thread(() => publisher.Run(stop.Token)) { IsBackground = true, Name = "lt-publisher", Priority = ThreadPriority.AboveNormal };
        sender.Start();
        // Warm-up: first keyframe through, JIT done; then measure from a clean slate.
        WaitUntil(() => subscribers.All(s => s.Received > 0), TimeSpan.FromSeconds(10));
        Thread.Sleep(1000);
        foreach (var s in subscribers)
        {
            s.ResetCounters();
        }
        var sentBefore = publisher.PacketsSent;
        var forwardedBefore = room.GetStats().Sum(s => s.PacketsForwarded);
        var sfuCpuBefore = ThreadCpu.OfThreadsNamed("media-udp-rec");
        var processCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        var sfuCpu = ThreadCpu.OfThreadsNamed("media-udp-rec") - sfuCpuBefore;
        var processCpu = Process.GetCurrentProcess().TotalProcessorTime - processCpuBefore;
        var elapsed = wall.Elapsed.TotalSeconds;
        var sent = publisher.PacketsSent - sentBefore;
        var forwarded = room.GetStats().Sum(s => s.PacketsForwarded) - forwardedBefore;
        stop.Cancel();
        sender.Join();
        Thread.Sleep(200);
        var delivered = subscribers.Sum(s => s.Received);

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
            $"{subscriberCount,4} | {sent / elapsed,6:F0} | {forwarded / elapsed,7:F0} | {delivered,9} | {loss,6:F2} | {sfuCpu.TotalSeconds,16:F2} | {forwarded / Math.Max(sfuCpu.TotalSeconds, 0.01),20:F0} | {processCpu.TotalSeconds,13:F2} | {forwarded / Math.Max(processCpu.TotalSeconds, 0.01),24:F0} | {Percentile(0.50),14:F0} | {Percentile(0.99),6:F0}"));
    }
    finally
    {
        foreach (var s in subscribers)
        {
            s.Dispose();
        }
    }
}

static void WaitUntil(Func<bool> condition, TimeSpan timeout)
{
    var clock = Stopwatch.StartNew();
    while (!condition())
    {
        if (clock.Elapsed > timeout)
        {
            throw new TimeoutException("benchmark set-up did not converge");
        }
        Thread.Sleep(20);
    }
}
