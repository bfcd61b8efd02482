namespace LiveClassroom.Media.Sfu;

internal sealed partial class SfuRoom
{
    /// <summary>
    /// Raises <see cref="ISfuEvents.MediaQualityChanged"/> again with what was last reported for this subscriber: its
    /// signalling connection was replaced (a hub rejoin) and the new one never heard it, while the SFU, whose choice did
    /// not change, has nothing new to say. Under the lock, so the repeat is queued in order with the reports that change
    /// it (a real change cannot be overtaken by a stale repeat). False when the peer is unknown or nothing was reported
    /// yet (a fresh peer's first report comes once its estimate is established).
    /// </summary>
    public bool RepeatQuality(string peerId)
    {
        lock (_lock)
        {
            if (!_peers.TryGetValue(peerId, out var subscriber) || !subscriber.Bandwidth.Reported)
            {
                return false;
            }
            var bandwidth = subscriber.Bandwidth;
            _events.MediaQualityChanged(Id, subscriber.Id, bandwidth.ReportedPaused, bandwidth.ReportedLayer, bandwidth.Estimator.EstimateBps);
            return true;
        }
    }
}
