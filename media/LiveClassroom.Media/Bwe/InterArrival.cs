// draft-ietf-rmcat-gcc-02 §5.2 (arrival-time model): packets sent within a 5 ms burst form a group; for two consecutive
// groups i-1, i the inter-group delay variation is d(i) = (t(i) − t(i−1)) − (T(i) − T(i−1)), where T is the send time
// and t the arrival time of the group's last packet.
namespace LiveClassroom.Media.Bwe;

/// <summary>Groups acknowledged packets by send time and yields one delay-variation sample per completed group. Not thread-safe.</summary>
internal sealed class InterArrival
{
    public const long BurstMicroseconds = 5_000;
    private bool _hasCurrent;
    private long _currentFirstSendUs;
    private long _currentSendUs;
    private long _currentArrivalUs;
    private bool _hasPrevious;
    private long _previousSendUs;
    private long _previousArrivalUs;

    /// <summary>
    /// Adds one packet (in send order). True when it closed a group and a sample is available: the delay variation
    /// in ms, and the arrival time of the completed group (ms) for the trend's time axis.
    /// </summary>
    public bool TryAdd(long sendUs, long arrivalUs, out double delayVariationMs, out double groupArrivalMs, out double arrivalDeltaMs)
    {
        delayVariationMs = 0;
        groupArrivalMs = 0;
        arrivalDeltaMs = 0;
        if (!_hasCurrent)
        {
            Start(sendUs, arrivalUs);
            return false;
        }
        if (sendUs < _currentFirstSendUs)
        {
            // Reordered behind the group: it tells nothing about the queue now.
            return false;
        }
        if (sendUs - _currentFirstSendUs <= BurstMicroseconds)
        {
            _currentSendUs = Math.Max(_currentSendUs, sendUs);
            _currentArrivalUs = Math.Max(_currentArrivalUs, arrivalUs);
            return false;
        }
        var produced = false;
        if (_hasPrevious)
        {
            var sendDelta = _currentSendUs - _previousSendUs;
            var arrivalDelta = _currentArrivalUs - _previousArrivalUs;
            delayVariationMs = (arrivalDelta - sendDelta) / 1000.0;
            groupArrivalMs = _currentArrivalUs / 1000.0;
            arrivalDeltaMs = arrivalDelta / 1000.0;
            produced = arrivalDelta >= 0;
        }
        _hasPrevious = true;
        _previousSendUs = _currentSendUs;
        _previousArrivalUs = _currentArrivalUs;
        Start(sendUs, arrivalUs);
        return produced;
    }

    /// <summary>Forgets the groups so far: the next packet starts a new first group (after an outage).</summary>
    public void Reset()
    {
        _hasCurrent = false;
        _hasPrevious = false;
    }

    private void Start(long sendUs, long arrivalUs)
    {
        _hasCurrent = true;
        _currentFirstSendUs = sendUs;
        _currentSendUs = sendUs;
        _currentArrivalUs = arrivalUs;
    }
}
