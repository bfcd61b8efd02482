using LiveClassroom.Media.Sfu;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media;

public sealed partial class MediaServer
{
    /// <summary>The meter of the SFU's metrics (System.Diagnostics.Metrics): give it to the host's exporter.</summary>
    public const string MeterName = SfuMetrics.MeterName;

    internal int RoomCount => _rooms.Count;

    internal TransportCounters TransportCounters => _transport.Counters;

    internal TimeSpan PacketThreadCpu => _transport.PacketThreadCpu;

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
