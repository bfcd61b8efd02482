using System.Globalization;
using LiveClassroom.Media;
using LiveClassroom.Media.Dtls;

namespace LiveClassroom.LoadTests.Memory;

/// <summary>
/// The media server alone in a process of its own, for the memory benchmark: one auto-routed room on loopback, driven by
/// line commands on standard input so that no load-generator object lives in this process's memory.
/// <list type="bullet">
/// <item><c>neg &lt;peer&gt; &lt;offer, base64&gt;</c> → <c>ans &lt;answer, base64&gt;</c></item>
/// <item><c>rm &lt;peer&gt;</c> → <c>ok</c></item>
/// <item><c>connected</c> → <c>connected &lt;peers whose ICE/DTLS is up&gt;</c></item>
/// <item><c>mem</c> → <c>mem &lt;VmRSS bytes&gt; &lt;GC heap bytes&gt; &lt;GC committed bytes&gt; &lt;threads&gt;</c>, after a full compacting collection</item>
/// <item><c>quit</c></item>
/// </list>
/// It starts by printing <c>port &lt;UDP port&gt;</c>.
/// </summary>
internal static class SfuHost
{
    public static int Run(string[] args)
    {
        var workers = Environment.ProcessorCount;
        var srtp = SrtpProtectionProfileId.AeadAes128Gcm;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--workers":
                    workers = Math.Clamp(int.Parse(args[i + 1], CultureInfo.InvariantCulture), 1, 64);
                    break;
                case "--srtp":
                    srtp = args[i + 1] == "cm" ? SrtpProtectionProfileId.AesCm128HmacSha1_80 : SrtpProtectionProfileId.AeadAes128Gcm;
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }
        using var server = new MediaServer(BenchRoom.ServerOptions(srtp, workers));
        var room = server.CreateRoom("bench");
        room.AutoRoute = true;
        Console.WriteLine("port " + server.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture));
        string? line;
        while ((line = Console.ReadLine()) is not null)
        {
            var parts = line.Split(' ');
            switch (parts[0])
            {
                case "neg" when parts.Length == 3:
                    var offer = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(parts[2]));
                    var answer = room.Negotiate(parts[1], offer);
                    Console.WriteLine("ans " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(answer)));
                    break;
                case "rm" when parts.Length == 2:
                    room.RemovePeer(parts[1]);
                    Console.WriteLine("ok");
                    break;
                case "connected":
                    Console.WriteLine("connected " + room.GetStats().Count(s => s.State == "connected").ToString(CultureInfo.InvariantCulture));
                    break;
                case "mem":
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    GC.WaitForPendingFinalizers();
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    var info = GC.GetGCMemoryInfo();
                    long resident;
                    int threads;
                    using (var self = System.Diagnostics.Process.GetCurrentProcess())
                    {
                        resident = self.WorkingSet64;
                        threads = self.Threads.Count;
                    }
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mem {resident} {info.HeapSizeBytes} {info.TotalCommittedBytes} {threads}"));
                    break;
                case "quit":
                    return 0;
                default:
                    Console.WriteLine("error unknown command");
                    break;
            }
        }
        return 0;
    }
}
