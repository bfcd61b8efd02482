using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LiveClassroom.Media.Sfu;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media;

/// <summary>
/// Gauges read when a listener collects (rooms, peers, tracks) and the transport's drop counters by reason, over every
/// <see cref="MediaServer"/> of the process, on the <c>LiveClassroom.Media</c> meter (<see cref="MediaServer.MeterName"/>).
/// </summary>
internal static class MediaMetrics
{
    private static readonly ConcurrentDictionary<MediaServer, byte> Servers = new();
    private static readonly TransportDropReason[] DropReasons = Enum.GetValues<TransportDropReason>();

    static MediaMetrics()
    {
        SfuMetrics.Meter.CreateObservableGauge("liveclassroom.sfu.rooms", () => Sum(s => s.RoomCount), "{room}", "Media rooms open (one per live class or research session)");
        SfuMetrics.Meter.CreateObservableGauge("liveclassroom.sfu.peers", () => Sum(s => s.CountPeersAndTracks().Peers), "{peer}", "WebRTC peers in the SFU");
        SfuMetrics.Meter.CreateObservableGauge("liveclassroom.sfu.tracks", () => Sum(s => s.CountPeersAndTracks().Tracks), "{track}", "Tracks published to the SFU");
        SfuMetrics.Meter.CreateObservableCounter("liveclassroom.sfu.transport.dropped", TransportDrops, "{packet}",
            "Packets the media socket dropped before any peer saw them, by reason");
        SfuMetrics.Meter.CreateObservableCounter("liveclassroom.sfu.transport.packets", () => new[]
        {
            new Measurement<long>(SumLong(s => s.TransportCounters.PacketsReceived), new KeyValuePair<string, object?>("direction", "received")),
            new Measurement<long>(SumLong(s => s.TransportCounters.PacketsSent), new KeyValuePair<string, object?>("direction", "sent")),
        }, "{packet}", "Packets through the media socket");
        SfuMetrics.Meter.CreateObservableCounter("liveclassroom.sfu.transport", () => new[]
        {
            new Measurement<long>(SumLong(s => s.TransportCounters.BytesReceived), new KeyValuePair<string, object?>("direction", "received")),
            new Measurement<long>(SumLong(s => s.TransportCounters.BytesSent), new KeyValuePair<string, object?>("direction", "sent")),
        }, "By", "Bytes through the media socket");
        SfuMetrics.Meter.CreateObservableGauge("liveclassroom.sfu.room.subscribers", SubscribersByRoom, "{peer}",
            "Peers receiving at least one track, per media room (room = class or research session id)");
        SfuMetrics.Meter.CreateObservableCounter("liveclassroom.sfu.worker.packets", WorkerPackets, "{packet}",
            "Datagrams received by each packet worker's sockets (worker = index, 0 … Workers − 1): how the kernel spreads peers");
        SfuMetrics.Meter.CreateObservableCounter("liveclassroom.sfu.packet_thread.cpu_time", () => Sum(s => s.PacketThreadCpu).TotalSeconds, "s",
            "CPU time of the packet workers' receive threads and fan-out lanes, which decrypt, route and forward every packet (Linux /proc)");
    }

    private static IEnumerable<Measurement<long>> WorkerPackets()
    {
        var totals = new List<long>();
        foreach (var server in Servers.Keys)
        {
            var counts = server.WorkerPacketCounts();
            for (var i = 0; i < counts.Count; i++)
            {
                if (i == totals.Count)
                {
                    totals.Add(0);
                }
                totals[i] += counts[i];
            }
        }
        for (var i = 0; i < totals.Count; i++)
        {
            yield return new Measurement<long>(totals[i], new KeyValuePair<string, object?>("worker", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private static IEnumerable<Measurement<int>> SubscribersByRoom()
    {
        foreach (var server in Servers.Keys)
        {
            foreach (var (room, subscribers) in server.SubscribersByRoom())
            {
                yield return new Measurement<int>(subscribers, new KeyValuePair<string, object?>("room", room));
            }
        }
    }

    private static TimeSpan Sum(Func<MediaServer, TimeSpan> read)
    {
        var total = TimeSpan.Zero;
        foreach (var server in Servers.Keys)
        {
            total += read(server);
        }
        return total;
    }

    public static void Add(MediaServer server) => Servers[server] = 0;

    public static void Remove(MediaServer server) => Servers.TryRemove(server, out _);

    private static int Sum(Func<MediaServer, int> read)
    {
        var total = 0;
        foreach (var server in Servers.Keys)
        {
            total += read(server);
        }
        return total;
    }

    private static long SumLong(Func<MediaServer, long> read)
    {
        long total = 0;
        foreach (var server in Servers.Keys)
        {
            total += read(server);
        }
        return total;
    }

    private static IEnumerable<Measurement<long>> TransportDrops()
    {
        foreach (var reason in DropReasons)
        {
            yield return new Measurement<long>(SumLong(s => s.TransportCounters.Dropped(reason)), new KeyValuePair<string, object?>("reason", reason.ToString()));
        }
    }
}
