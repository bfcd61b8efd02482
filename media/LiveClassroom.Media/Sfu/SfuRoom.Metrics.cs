namespace LiveClassroom.Media.Sfu;

internal sealed partial class SfuRoom
{
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
}
