using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LiveClassroom.EndToEnd.Tests.Harness;
using LiveClassroom.Testing.Network;
using Xunit.Abstractions;

namespace LiveClassroom.EndToEnd.Tests.LinkEmulation;

/// <summary>
/// The link-emulation harness itself (issue #15): a rate cap caps, random loss drops about what it says, the relay adds
/// its delay, and an outage stops everything until it ends. Traffic is real UDP between this process and a socket made
/// inside the test's network namespace.
/// </summary>
[Collection(LinkEmulationCollection.Name)]
public sealed class LinkHarnessTests(ITestOutputHelper output)
{
    private const int Datagram = 1200;

    [Fact]
    public async Task RateCap_Downlink_CapsWhatTheNamespaceReceives()
    {
        await using var link = await NetworkNamespace.CreateAsync();
        using var inside = link.CreateUdpSocketInside();
        using var host = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        host.Bind(new IPEndPoint(link.HostAddress, 0));

        var free = await BlastAsync(host, inside, TimeSpan.FromSeconds(2));
        await link.RateCapAsync(downKbps: 1000, upKbps: 1000);
        var capped = await BlastAsync(host, inside, TimeSpan.FromSeconds(2));
        output.WriteLine($"without a cap: {free.Sent / 1000:0} kbps sent, {free.Received / 1000:0} kbps received; "
            + $"under a 1000 kbps cap: {capped.Sent / 1000:0} kbps sent, {capped.Received / 1000:0} kbps received");

        // The sender must outrun the cap, or a capped figure would prove nothing.
        Assert.True(capped.Sent > 3_000_000, $"only {capped.Sent / 1000:0} kbps were sent into the capped link");
        Assert.True(capped.Received < 1_500_000, $"{capped.Received / 1000:0} kbps got through a 1000 kbps cap");
        Assert.True(capped.Received > 500_000, $"only {capped.Received / 1000:0} kbps got through a 1000 kbps cap");
        Assert.True(free.Received > 3 * capped.Received, $"without the cap only {free.Received / 1000:0} kbps arrived (capped {capped.Received / 1000:0})");
    }

    [Fact]
    public async Task RandomLoss_TenPercent_DropsAboutATenth()
    {
        await using var link = await NetworkNamespace.CreateAsync();
        using var inside = link.CreateUdpSocketInside();
        using var host = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        host.Bind(new IPEndPoint(link.HostAddress, 0));
        await link.DropRandomUdpAsync(10);

        const int sent = 3000;
        var received = await CountReceivedAsync(inside, () => Pace(host, inside.LocalEndPoint!, sent, perMillisecond: 1));
        var lost = 1.0 - (double)received / sent;
        output.WriteLine($"random loss 10 %: {received} of {sent} arrived ({lost:P1} lost)");
        Assert.InRange(lost, 0.06, 0.14);
    }

    [Fact]
    public async Task DelayRelay_HundredMillisecondsEachWay_AddsTheRoundTrip()
    {
        await using var link = await NetworkNamespace.CreateAsync();
        using var inside = link.CreateUdpSocketInside();
        using var echo = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        echo.Bind(new IPEndPoint(link.HostAddress, 0));
        var echoPort = ((IPEndPoint)echo.LocalEndPoint!).Port;
        using var stop = new CancellationTokenSource();
        var echoing = EchoAsync(echo, stop.Token);

        var direct = await RoundTripAsync(inside, new IPEndPoint(link.HostAddress, echoPort));
        using var relay = UdpDelayRelay.Start(link.HostAddress, new IPEndPoint(link.HostAddress, echoPort), TimeSpan.FromMilliseconds(100));
        await link.RedirectUdpAsync(echoPort, relay.EndPoint.Port);
        var relayed = await RoundTripAsync(inside, new IPEndPoint(link.HostAddress, echoPort));
        stop.Cancel();
        await echoing;
        output.WriteLine($"median round trip: {direct.TotalMilliseconds:0.0} ms direct, {relayed.TotalMilliseconds:0.0} ms through the relay (100 ms each way); relayed {relay.Forwarded} datagrams, dropped {relay.Dropped}");

        Assert.True(relayed >= TimeSpan.FromMilliseconds(200), $"round trip through the relay {relayed.TotalMilliseconds:0} ms");
        Assert.True(relayed - direct >= TimeSpan.FromMilliseconds(190), $"the relay added {(relayed - direct).TotalMilliseconds:0} ms");
        Assert.Equal(0, relay.Dropped);
    }

    [Fact]
    public async Task DelayRelay_ThousandDatagramsAtOnce_DeliversEveryOneAfterItsDelayInOrder()
    {
        // Loopback: the relay's own correctness, no namespace needed. Each datagram carries its index and the time it
        // was sent; the receiver stamps its arrival.
        using var target = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
        target.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var delay = TimeSpan.FromMilliseconds(150);
        using var relay = UdpDelayRelay.Start(IPAddress.Loopback, (IPEndPoint)target.LocalEndPoint!, delay);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { SendBufferSize = 4 << 20 };
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        const int count = 1000;
        var clock = Stopwatch.StartNew();
        var receiving = ReceiveStampedAsync(target, count, clock);
        // Bursts of 50 back to back, as a keyframe leaves an SFU, then a pause: the relay must neither lose nor reorder them.
        for (var i = 0; i < count; i++)
        {
            client.SendTo(Stamped(i, clock), relay.EndPoint);
            if (i % 50 == 49)
            {
                Thread.Sleep(5);
            }
        }
        var arrivals = await receiving;
        output.WriteLine($"{arrivals.Count} of {count} arrived; relay: {relay.Summary}; "
            + $"held {Percentile(arrivals, 0.5):0.0} ms median, {Percentile(arrivals, 1.0):0.0} ms at most (delay {delay.TotalMilliseconds:0} ms)");

        Assert.Equal(count, arrivals.Count);
        Assert.Equal(Enumerable.Range(0, count), arrivals.Select(a => a.Index));
        Assert.Equal(count, relay.Received);
        Assert.Equal(count, relay.Forwarded);
        Assert.Equal(0, relay.Dropped);
        // Never early (1 ms for the two clocks' reads); the upper bound is loose: correctness, not speed.
        Assert.All(arrivals, a => Assert.True(a.HeldMs >= delay.TotalMilliseconds - 1, $"datagram {a.Index} held {a.HeldMs:0.0} ms of {delay.TotalMilliseconds:0}"));
        Assert.All(arrivals, a => Assert.True(a.HeldMs < delay.TotalMilliseconds + 1000, $"datagram {a.Index} held {a.HeldMs:0.0} ms of {delay.TotalMilliseconds:0}"));
    }

    [Fact]
    public async Task DelayRelay_DelayShrinks_ReleasesByDueTime()
    {
        using var target = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
        target.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var relay = UdpDelayRelay.Start(IPAddress.Loopback, (IPEndPoint)target.LocalEndPoint!, TimeSpan.FromMilliseconds(1500));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        var clock = Stopwatch.StartNew();
        var receiving = ReceiveStampedAsync(target, 20, clock);
        for (var i = 0; i < 10; i++)
        {
            client.SendTo(Stamped(i, clock), relay.EndPoint);
        }
        // Wait until the relay holds the first ten (its queue says so), then shorten the path for the next ten.
        while (relay.Queued < 10)
        {
            Thread.Sleep(1);
        }
        relay.Delay = TimeSpan.FromMilliseconds(20);
        for (var i = 10; i < 20; i++)
        {
            client.SendTo(Stamped(i, clock), relay.EndPoint);
        }
        var arrivals = await receiving;
        output.WriteLine($"arrival order: {string.Join(' ', arrivals.Select(a => a.Index))}; relay: {relay.Summary}");

        // The later ten were due long before the first ten: they come first, each group in its own order.
        Assert.Equal(Enumerable.Range(10, 10).Concat(Enumerable.Range(0, 10)), arrivals.Select(a => a.Index));
        Assert.All(arrivals.Where(a => a.Index < 10), a => Assert.True(a.HeldMs >= 1499, $"datagram {a.Index} held {a.HeldMs:0.0} ms of 1500"));
        Assert.Equal(0, relay.Dropped);
    }

    [Fact]
    public async Task DelayRelay_QueueFull_DropsAndCountsTheOverflow()
    {
        using var target = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
        target.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        // Two seconds of delay: the 300 datagrams all arrive while the first hundred are still held.
        using var relay = UdpDelayRelay.Start(IPAddress.Loopback, (IPEndPoint)target.LocalEndPoint!, TimeSpan.FromSeconds(2), queueLimit: 100);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        var clock = Stopwatch.StartNew();
        var receiving = ReceiveStampedAsync(target, 100, clock);
        for (var i = 0; i < 300; i++)
        {
            client.SendTo(Stamped(i, clock), relay.EndPoint);
        }
        var arrivals = await receiving;
        output.WriteLine($"{arrivals.Count} arrived; relay: {relay.Summary}");

        Assert.Equal(Enumerable.Range(0, 100), arrivals.Select(a => a.Index));
        Assert.Equal(300, relay.Received);
        Assert.Equal(100, relay.Forwarded);
        Assert.Equal(200, relay.DroppedQueueFull);
    }

    private sealed record Arrival(int Index, double HeldMs);

    private static byte[] Stamped(int index, Stopwatch clock)
    {
        var data = new byte[Datagram];
        BitConverter.TryWriteBytes(data, index);
        BitConverter.TryWriteBytes(data.AsSpan(4), clock.Elapsed.Ticks);
        return data;
    }

    /// <summary>Receives stamped datagrams until a second passes after the <paramref name="expected"/>-th (10 s before it); each with how long it was under way.</summary>
    private static Task<List<Arrival>> ReceiveStampedAsync(Socket socket, int expected, Stopwatch clock) => Task.Factory.StartNew(() =>
    {
        var arrivals = new List<Arrival>();
        var buffer = new byte[2048];
        socket.ReceiveTimeout = 10_000;
        try
        {
            while (true)
            {
                socket.Receive(buffer);
                var now = clock.Elapsed;
                var sentAt = TimeSpan.FromTicks(BitConverter.ToInt64(buffer, 4));
                arrivals.Add(new Arrival(BitConverter.ToInt32(buffer, 0), (now - sentAt).TotalMilliseconds));
                if (arrivals.Count >= expected)
                {
                    socket.ReceiveTimeout = 1000;
                }
            }
        }
        catch (SocketException)
        {
            // Quiet: everything that was coming has come.
        }
        return arrivals;
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static double Percentile(List<Arrival> arrivals, double q)
    {
        if (arrivals.Count == 0)
        {
            return double.NaN;
        }
        var sorted = arrivals.Select(a => a.HeldMs).Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, q * sorted.Count)];
    }

    [Fact]
    public async Task Outage_DropsEverythingUntilItEnds()
    {
        await using var link = await NetworkNamespace.CreateAsync();
        using var inside = link.CreateUdpSocketInside();
        using var host = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        host.Bind(new IPEndPoint(link.HostAddress, 0));

        await link.StartOutageAsync();
        var during = await CountReceivedAsync(inside, () => Pace(host, inside.LocalEndPoint!, 200, perMillisecond: 1));
        await link.EndOutageAsync();
        var after = await CountReceivedAsync(inside, () => Pace(host, inside.LocalEndPoint!, 200, perMillisecond: 1));
        output.WriteLine($"outage: {during} of 200 arrived during it, {after} of 200 after");
        Assert.Equal(0, during);
        Assert.True(after >= 190, $"{after} of 200 arrived after the outage ended");
    }

    /// <summary>Sends ~19 Mbps (ten datagrams every 5 ms) for the duration; returns what arrived, in bits per second.</summary>
    /// <summary>
    /// Sends datagrams as fast as ten per millisecond allows for <paramref name="duration"/>; returns the rates sent and
    /// received (bits/s). Sender and receiver have threads of their own, so a busy thread pool cannot slow either.
    /// </summary>
    private static async Task<(double Sent, double Received)> BlastAsync(Socket from, Socket to, TimeSpan duration)
    {
        var receiving = ReceiveUntilQuietAsync(to);
        var sent = await Task.Factory.StartNew(() =>
        {
            var payload = new byte[Datagram];
            var bytes = 0L;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                for (var i = 0; i < 10; i++)
                {
                    bytes += from.SendTo(payload, to.LocalEndPoint!);
                }
                Thread.Sleep(1);
            }
            return bytes;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // The receiver stops one second after the last datagram arrived.
        var (_, received) = await receiving;
        return (sent * 8 / duration.TotalSeconds, received * 8 / duration.TotalSeconds);
    }

    private static void Pace(Socket from, EndPoint to, int count, int perMillisecond)
    {
        var payload = new byte[Datagram];
        for (var i = 0; i < count; i++)
        {
            from.SendTo(payload, to);
            if (i % perMillisecond == 0)
            {
                Thread.Sleep(1);
            }
        }
    }

    private static async Task<int> CountReceivedAsync(Socket socket, Action send)
    {
        var receiving = ReceiveUntilQuietAsync(socket);
        send();
        return (await receiving).Datagrams;
    }

    /// <summary>Counts datagrams and bytes until a second passes without one.</summary>
    private static Task<(int Datagrams, long Bytes)> ReceiveUntilQuietAsync(Socket socket) => Task.Factory.StartNew(() =>
    {
        var buffer = new byte[2048];
        var (datagrams, bytes) = (0, 0L);
        socket.ReceiveTimeout = 1000;
        try
        {
            while (true)
            {
                bytes += socket.Receive(buffer);
                datagrams++;
            }
        }
        catch (SocketException)
        {
            // A second of silence after the last one: the sender is done and the queues drained.
        }
        return (datagrams, bytes);
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static async Task EchoAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[2048];
        try
        {
            while (true)
            {
                var r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct);
                await socket.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, r.RemoteEndPoint, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // The test is done.
        }
    }

    /// <summary>The median of 15 echo round trips.</summary>
    private static async Task<TimeSpan> RoundTripAsync(Socket socket, EndPoint to)
    {
        var times = new List<TimeSpan>();
        var buffer = new byte[2048];
        for (var i = 0; i < 15; i++)
        {
            var clock = Stopwatch.StartNew();
            await socket.SendToAsync(new byte[64], SocketFlags.None, to);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            times.Add(clock.Elapsed);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
