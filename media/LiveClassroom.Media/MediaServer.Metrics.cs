using LiveClassroom.Media.Sfu;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media;

public sealed partial class MediaServer
{
    /// <summary>The meter of the SFU's metrics (System.Diagnostics.Metrics): give it to the host's exporter.</summary>
    public const string MeterName = SfuMetrics.MeterName;

    internal int RoomCount => _rooms.Count;

    internal TransportCounters TransportCounters => _transport.Counters;

    /// <summary>CPU of every thread on the packet path: the workers' receive threads and the fan-out lanes.</summary>
    internal TimeSpan PacketThreadCpu => _transport.PacketThreadCpu + (_fanOut?.Cpu ?? TimeSpan.Zero);

    /// <summary>Kernel thread ids of the packet path: receive threads and fan-out lanes (benchmarks: CPU per thread).</summary>
    internal IReadOnlyList<int> PacketThreadIds => [.. _transport.PacketThreadIds, .. _fanOut?.ThreadIds ?? []];

    /// <summary>Packet workers actually running (1 off Linux whatever the options say).</summary>
    public int Workers => _transport.Workers;

    /// <summary>Datagrams each worker's sockets received, by worker index (load spread; also the worker_packets metric).</summary>
    public IReadOnlyList<long> WorkerPacketCounts()
    {
        var counts = new long[_transport.Workers];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = _transport.Counters.WorkerPackets(i);
        }
        return counts;
    }

    /// <summary>Fan-outs split over the lanes, and chunks the lanes ran (diagnostics and the benchmark).</summary>
    internal (long Jobs, long ChunksOnLanes, long Chunks) FanOutCounts => _fanOut is null ? (0, 0, 0) : (_fanOut.Jobs, _fanOut.ChunksOnLanes, _fanOut.Chunks);

    /// <summary>Packets whose fan-out was split (more than <see cref="FanOutCounts"/>' jobs when bursts were batched).</summary>
    internal long FanOutPackets => _fanOut?.Packets ?? 0;

    /// <summary>Where splitting costs the workers (<see cref="FanOutPool.Timing"/>).</summary>
    internal (long SplitTicks, long WaitTicks, long Wakes, long IdleWakes) FanOutTiming => _fanOut?.Timing ?? default;

    /// <summary>Bytes the fan-out lanes allocated so far (the benchmark's allocation check).</summary>
    internal long FanOutAllocatedBytes => _fanOut?.AllocatedBytes ?? 0;

    /// <summary>Per media room: how many peers receive at least one track (read under each room's lock).</summary>
    internal IEnumerable<(string RoomId, int Subscribers)> SubscribersByRoom()
    {
        foreach (var (id, room) in _rooms)
        {
            yield return (id, room.CountSubscribers());
        }
    }

    internal (int Peers, int Tracks) CountPeersAndTracks()
    {
        int peers = 0, tracks = 0;
        foreach (var room in _rooms.Values)
        {
            var (p, t) = room.CountPeersAndTracks();
            peers += p;
            tracks += t;
        }
        return (peers, tracks);
    }
}
