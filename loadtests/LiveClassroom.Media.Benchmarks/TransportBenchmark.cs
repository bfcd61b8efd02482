using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Benchmarks;

/// <summary>
/// Loopback UDP into a real <see cref="UdpTransport"/>: a sender thread blasts 1200-byte RTP packets from a routed
/// address; the sink, running on the transport's receive thread, counts them and samples that thread's allocation
/// counter, so the figure shows whether the receive path allocates in steady state.
/// </summary>
internal static class TransportBenchmark
{
    public static void Receive(TimeSpan duration)
    {
        using var transport = new UdpTransport(new UdpTransportOptions { BindAddress = IPAddress.Loopback, BufferPoolCapacity = 16 });
        transport.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var sink = new CountingSink();
        transport.AddRoute(new RemoteAddress((IPEndPoint)client.LocalEndPoint!), sink);
        var packet = new byte[1212];
        packet[0] = 0x80;
        packet[1] = 96;
        var target = transport.LocalEndPoint.Serialize();

        var sw = Stopwatch.StartNew();
        long sent = 0;
        while (sw.Elapsed < duration)
        {
            for (var i = 0; i < 256; i++)
            {
                client.SendTo(packet, SocketFlags.None, target);
            }
            sent += 256;
        }
        sw.Stop();
        // Let the receive thread drain what the kernel still holds (bounded).
        SpinWait.SpinUntil(() => sink.Count + transport.Counters.TotalDropped >= sent, TimeSpan.FromSeconds(1));
        var received = sink.Count;
        var perPacket = sink.SampledPackets > 0 ? (double)sink.SampledBytes / sink.SampledPackets : double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"UDP loopback receive + demux + route (1212 B)",-44} {received / sw.Elapsed.TotalSeconds,12:N0} pkt/s   sent {sent:N0}, received {received:N0}   {perPacket,6:N1} B/pkt on the receive thread"));
    }

    private sealed class CountingSink : IPacketSink
    {
        private const int WarmupPackets = 10_000;
        private long _count;
        private long _startBytes;

        public long Count => Interlocked.Read(ref _count);

        public long SampledBytes { get; private set; }

        public long SampledPackets { get; private set; }

        public void OnRtp(Span<byte> packet, RemoteAddress remote)
        {
            var n = Interlocked.Increment(ref _count);
            if (n == WarmupPackets)
            {
                _startBytes = GC.GetAllocatedBytesForCurrentThread();
            }
            else if (n > WarmupPackets)
            {
                SampledBytes = GC.GetAllocatedBytesForCurrentThread() - _startBytes;
                SampledPackets = n - WarmupPackets;
            }
        }

        public void OnStun(Span<byte> packet, RemoteAddress remote)
        {
        }

        public void OnDtls(Span<byte> packet, RemoteAddress remote)
        {
        }

        public void OnRtcp(Span<byte> packet, RemoteAddress remote)
        {
        }
    }
}
