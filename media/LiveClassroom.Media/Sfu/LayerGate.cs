namespace LiveClassroom.Media.Sfu;

/// <summary>
/// One video slot's brakes on layer changes (docs/BANDWIDTH.md, "Switching"): a pause needs the estimate below the
/// lowest layer for <see cref="PauseHold"/>, and a step up (or a resume) that falls back within <see cref="FailWindow"/>
/// blocks the next step up for a backoff that doubles with each failure (longer on a link that was losing packets before
/// the step), unless the estimate has clear headroom.
/// State: steady → (step up) → on trial → (falls back: failure, blocked for the backoff) | (holds <see cref="TrustAfter"/>: steady, failures forgotten).
/// Plain data under the room lock; times are ticks.
/// </summary>
internal sealed class LayerGate
{
    /// <summary>How long the estimate must stay below the lowest layer before the video pauses.</summary>
    public static readonly long PauseHold = TimeSpan.FromSeconds(3).Ticks;

    /// <summary>A fall back this soon after a step up counts as that step having failed.</summary>
    public static readonly long FailWindow = TimeSpan.FromSeconds(8).Ticks;

    /// <summary>A step up that has held this long is trusted: earlier failures are forgotten.</summary>
    public static readonly long TrustAfter = TimeSpan.FromSeconds(30).Ticks;

    public static readonly long FirstBackoff = TimeSpan.FromSeconds(5).Ticks;

    public static readonly long MaxBackoff = TimeSpan.FromSeconds(20).Ticks;

    /// <summary>
    /// A step up taken on a link that was already losing packets (<see cref="SfuRoom.PauseLossFraction"/> or more, held
    /// <c>PauseLossHold</c>) and failed backs off longer: such a link's random loss stays whatever the layer, and a probe
    /// through a token bucket reads its line rate, not its cap, so the estimate soon allows the same step again. Each
    /// retry overflows the bucket, and the audio that shares it is lost or late (RuralLinkFigures, 300 kbps + 5 % loss:
    /// two tries of `h` in 30 s, 15.6 % and 43.1 % of a second's audio concealed, 2.4 % over the window).
    /// </summary>
    public static readonly long LossyFirstBackoff = TimeSpan.FromSeconds(20).Ticks;

    public static readonly long LossyMaxBackoff = TimeSpan.FromSeconds(60).Ticks;

    /// <summary>With this much headroom over what the step needs, the step is taken whatever failed before (the link came back).</summary>
    public const double ClearHeadroom = 2.5;

    private long _belowSince;
    private long _lastUpTicks;
    private bool _upOnLossyLink;

    public int Failures { get; private set; }

    public long BlockedUntilTicks { get; private set; }

    /// <summary>Whether the estimate has been below the lowest layer for <see cref="PauseHold"/> (false: keep the lowest layer for now).</summary>
    public bool BelowLongEnough(bool below, long now)
    {
        if (!below)
        {
            _belowSince = 0;
            return false;
        }
        if (_belowSince == 0)
        {
            _belowSince = now;
        }
        return now - _belowSince >= PauseHold;
    }

    /// <summary>Whether a step up (or resuming video) needing <paramref name="needBps"/> may be taken with <paramref name="availableBps"/>.</summary>
    public bool MayStepUp(double availableBps, double needBps, long now) =>
        now >= BlockedUntilTicks || availableBps >= needBps * ClearHeadroom;

    /// <param name="lossyLink">The link had been losing packets before this step (see <see cref="LossyFirstBackoff"/>).</param>
    public void SteppedUp(long now, bool lossyLink = false)
    {
        _lastUpTicks = now;
        _upOnLossyLink = lossyLink;
        _belowSince = 0;
    }

    /// <summary>A step down or a pause: inside <see cref="FailWindow"/> of the last step up, that step failed.</summary>
    public void SteppedDown(long now)
    {
        if (_lastUpTicks == 0 || now - _lastUpTicks > FailWindow)
        {
            return;
        }
        _lastUpTicks = 0;
        Failures++;
        var (first, max) = _upOnLossyLink ? (LossyFirstBackoff, LossyMaxBackoff) : (FirstBackoff, MaxBackoff);
        var backoff = Math.Min(first << Math.Min(Failures - 1, 16), max);
        BlockedUntilTicks = now + backoff;
    }

    /// <summary>Every tick while the layer is unchanged: a step up that has held <see cref="TrustAfter"/> clears the failures.</summary>
    public void Held(long now)
    {
        if (_lastUpTicks != 0 && now - _lastUpTicks >= TrustAfter)
        {
            _lastUpTicks = 0;
            Failures = 0;
        }
    }
}
