namespace LiveClassroom.Media.Sfu;

internal sealed partial class SfuRoom
{
    /// <summary>How long the packet path holds the room lock per datagram or receive batch (its fan-out, split or not, included).</summary>
    internal Diagnostics.DurationHistogram PacketLockHold { get; } = new();

    /// <summary>How long the room's other lock takers waited for it: subscribers' and publishers' RTCP, the timer's tick.</summary>
    internal Diagnostics.DurationHistogram OtherLockWait { get; } = new();

    /// <summary>For the gauges of <see cref="MediaMetrics"/>: read under the room lock when a metrics listener collects.</summary>
    public (int Peers, int Tracks) CountPeersAndTracks()
    {
        lock (_lock)
        {
            var tracks = 0;
            foreach (var peer in _peers.Values)
            {
                tracks += peer.Tracks.Count;
            }
            return (_peers.Count, tracks);
        }
    }

    /// <summary>Peers with at least one receive slot (subscribers), for the per-room gauge.</summary>
    public int CountSubscribers()
    {
        lock (_lock)
        {
            var subscribers = 0;
            foreach (var peer in _peers.Values)
            {
                if (peer.Slots.Count > 0)
                {
                    subscribers++;
                }
            }
            return subscribers;
        }
    }
}
