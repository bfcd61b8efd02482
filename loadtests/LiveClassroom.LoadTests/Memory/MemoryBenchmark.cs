using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using LiveClassroom.Media.Dtls;

namespace LiveClassroom.LoadTests.Memory;

/// <summary>
/// Memory per subscriber of the SFU alone. The media server runs in a child process (<see cref="SfuHost"/>) and the
/// synthetic teacher and classrooms in this one, so nothing of the load generator is in the figures. The teacher sends
/// at real rate throughout (its retransmission caches full); the room grows to each N, every classroom receives, and
/// the child reports VmRSS and the GC heap after a full compacting collection. Per subscriber = growth ÷ subscribers
/// added since the previous step (the first step against the room with the teacher alone). Each step is read after the
/// room has held for --seconds (default 40) since its last handshake. Each classroom sends one receiver report once
/// connected, as a browser does, which ends its DTLS session's post-handshake thread; the "during join" column is read
/// 5 s after the handshakes.
/// </summary>
internal static class MemoryBenchmark
{
    public static int Run(string[] args)
    {
        var counts = new[] { 50, 150, 300, 600 };
        var seconds = 40;
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
                case "--subscribers":
                    counts = args[i + 1].Split(',').Select(s => Math.Clamp(int.Parse(s, CultureInfo.InvariantCulture), 1, 1000)).Order().ToArray();
                    break;
                case "--seconds":
                    seconds = Math.Clamp(int.Parse(args[i + 1], CultureInfo.InvariantCulture), 10, 120);
                    break;
                case "--workers":
                    workers = Math.Clamp(int.Parse(args[i + 1], CultureInfo.InvariantCulture), 1, 64);
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }
        using var host = HostProcess.Start(workers, stream.Srtp);
        var certificate = DtlsCertificate.Generate("loadtest");
        var server = new IPEndPoint(IPAddress.Loopback, host.Port);
        var teacher = new SyntheticPeer(certificate, server, 16);
        var subscribers = new List<SyntheticPeer>();
        var keeper = new ConsentKeeper(() => subscribers.Prepend(teacher));
        Publisher? publisher = null;
        CancellationTokenSource? stop = null;
        Thread? sender = null;
        void StartTeacher()
        {
            stop = new CancellationTokenSource();
            sender = BenchRoom.StartSending(publisher!, stop.Token);
        }
        void StopTeacher()
        {
            stop?.Cancel();
            sender?.Join();
            stop?.Dispose();
            (stop, sender) = (null, null);
        }
        try
        {
            teacher.Connect(host.Negotiate("publisher", teacher.Offer(true, Publisher.AudioSsrc, Publisher.VideoSsrc, Publisher.RtxSsrc)), stream.Srtp);
            publisher = new Publisher(teacher, stream.VideoBps, stream.StartSeq);
            StartTeacher();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"LiveClassroom SFU memory per subscriber (SFU in its own process, pid {host.Pid}, {workers} worker(s)): 1 teacher at {stream.VideoBps / 1000} kbps + Opus, {seconds} s per step, SRTP {stream.Srtp}; load average {ForwardingBenchmark.LoadAverage()}"));
            keeper.Hold(TimeSpan.FromSeconds(seconds));
            var (rss0, heap0, committed0, threads0) = host.Memory();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"teacher only: SFU RSS {rss0 / 1048576.0:F1} MB, GC heap {heap0 / 1048576.0:F1} MB, committed {committed0 / 1048576.0:F1} MB, {threads0} threads"));
            Console.WriteLine("    N | received by all | during join: RSS MB, threads | SFU RSS MB | GC heap MB | GC committed MB | threads | RSS KB / sub (step) | heap KB / sub (step) | RSS KB / sub (from 0) | heap KB / sub (from 0)");
            var (rssPrev, heapPrev) = (rss0, heap0);
            foreach (var n in counts)
            {
                var added = n - subscribers.Count;
                var fresh = Enumerable.Range(0, added).Select(_ => new SyntheticPeer(certificate, server, 1)).ToArray();
                var first = subscribers.Count;
                // The teacher pauses while classrooms join: on a loaded 2-core machine the SFU forwarding to hundreds at
                // real rate lets STUN checks drown in its socket buffer. Its caches keep what it sent.
                StopTeacher();
                // As BenchRoom.GrowConnect: on a machine loaded beyond its cores a handshake may time out; that peer is
                // removed and replaced by a fresh one (at most five times).
                var retries = 0;
                Parallel.For(0, fresh.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        try
                        {
                            fresh[i].Connect(host.Negotiate($"s{first + i}", fresh[i].Offer(false, 0, 0, 0)), stream.Srtp);
                            // A browser's first receiver report follows within a second; it ends the SFU's DTLS linger.
                            var report = new byte[128];
                            fresh[i].SendRtcp(report, LiveClassroom.Media.Rtcp.RtcpWriter.WriteReceiverReport(report, (uint)(0x5500_0000 + first + i), []));
                            return;
                        }
                        catch (Exception ex) when (attempt < 5 && ex is TimeoutException or Org.BouncyCastle.Crypto.Tls.TlsFatalAlert)
                        {
                            Interlocked.Increment(ref retries);
                            host.Remove($"s{first + i}");
                            fresh[i].Dispose();
                            fresh[i] = new SyntheticPeer(certificate, server, 1);
                        }
                    }
                });
                if (retries > 0)
                {
                    Console.WriteLine($"      ({retries} handshakes timed out and were retried with a fresh peer: the machine is loaded)");
                }
                subscribers.AddRange(fresh);
                var clock = Stopwatch.StartNew();
                while (host.Connected() < subscribers.Count + 1 && clock.Elapsed < TimeSpan.FromSeconds(30))
                {
                    keeper.Hold(TimeSpan.FromMilliseconds(200));
                }
                foreach (var s in subscribers)
                {
                    s.ResetCounters();
                }
                StartTeacher();
                keeper.Hold(TimeSpan.FromSeconds(5));
                var (joinRss, _, _, joinThreads) = host.Memory();
                keeper.Hold(TimeSpan.FromSeconds(seconds - 5));
                var receiving = subscribers.Count(s => s.Received > 0);
                var (rss, heap, committed, threads) = host.Memory();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{n,5} | {receiving,7} of {subscribers.Count,-5} | {joinRss / 1048576.0,19:F1}, {joinThreads,7} | {rss / 1048576.0,10:F1} | {heap / 1048576.0,10:F1} | {committed / 1048576.0,15:F1} | {threads,7} | {(rss - rssPrev) / 1024.0 / added,19:F1} | {(heap - heapPrev) / 1024.0 / added,20:F1} | {(rss - rss0) / 1024.0 / n,21:F1} | {(heap - heap0) / 1024.0 / n,22:F1}"));
                (rssPrev, heapPrev) = (rss, heap);
            }
            Console.WriteLine($"load average: {ForwardingBenchmark.LoadAverage()}");
        }
        finally
        {
            StopTeacher();
            foreach (var s in subscribers)
            {
                s.Dispose();
            }
            teacher.Dispose();
        }
        return 0;
    }

    /// <summary>The child process running <see cref="SfuHost"/>; one request at a time over its standard input and output.</summary>
    private sealed class HostProcess : IDisposable
    {
        private readonly Process _process;
        private readonly Lock _gate = new();

        private HostProcess(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public int Pid => _process.Id;

        public static HostProcess Start(int workers, SrtpProtectionProfileId srtp)
        {
            // Under `dotnet run` this process is the app host; under `dotnet x.dll` it is dotnet and needs the assembly.
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.ArgumentList.Add(typeof(HostProcess).Assembly.Location);
            }
            foreach (var a in new[] { "sfu-host", "--workers", workers.ToString(CultureInfo.InvariantCulture), "--srtp", srtp == SrtpProtectionProfileId.AeadAes128Gcm ? "gcm" : "cm" })
            {
                start.ArgumentList.Add(a);
            }
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the SFU host process");
            var first = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the SFU host process ended before it listened");
            return new HostProcess(process, int.Parse(first.Split(' ')[1], CultureInfo.InvariantCulture));
        }

        public string Negotiate(string peer, string offer)
        {
            var reply = Ask($"neg {peer} {Convert.ToBase64String(Encoding.UTF8.GetBytes(offer))}", "ans ");
            return Encoding.UTF8.GetString(Convert.FromBase64String(reply));
        }

        public void Remove(string peer) => Ask($"rm {peer}", "ok");

        public int Connected() => int.Parse(Ask("connected", "connected "), CultureInfo.InvariantCulture);

        public (long Rss, long Heap, long Committed, int Threads) Memory()
        {
            var parts = Ask("mem", "mem ").Split(' ');
            return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture),
                long.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture));
        }

        private string Ask(string command, string prefix)
        {
            lock (_gate)
            {
                _process.StandardInput.WriteLine(command);
                _process.StandardInput.Flush();
                var line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the SFU host process ended");
                return line.StartsWith(prefix, StringComparison.Ordinal)
                    ? line[prefix.Length..]
                    : throw new InvalidOperationException($"the SFU host answered '{line}' to '{command.Split(' ')[0]}'");
            }
        }

        public void Dispose()
        {
            try
            {
                _process.StandardInput.WriteLine("quit");
                _process.StandardInput.Flush();
                if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    _process.Kill();
                }
            }
            catch (IOException)
            {
                _process.Kill();
            }
            _process.Dispose();
        }
    }
}
