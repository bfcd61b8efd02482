// draft-ietf-rmcat-gcc-02 leaves when to probe to the sender (§5: "probing" is outside the estimator); this is the SFU's
// spacing of one subscriber's probes and when a finished probe's result is taken: once the transport-wide feedback
// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1) has reported the probe's last packet.
namespace LiveClassroom.Media.Sfu;

/// <summary>What a finished probe was for: its kind sets how far a refusal backs the next one off.</summary>
internal enum ProbeSpacing
{
    /// <summary>A paused video's probe: cheap (little more than the audio takes) and how the video comes back.</summary>
    Paused,

    /// <summary>A step-up probe on a link that has not been losing packets.</summary>
    StepUp,

    /// <summary>A step-up probe on a link that lost packets lately (<see cref="SfuRoom.LossMemory"/>).</summary>
    LossyStepUp,
}

/// <summary>
/// When a subscriber's next bandwidth probe may start, and when a finished probe's result may be taken (docs/BANDWIDTH.md,
/// "Probing"). After a success the next probe follows <see cref="SuccessSpacing"/> later; after a failure or refusal the
/// spacing doubles, up to <see cref="PausedMaxBackoff"/> for a paused video, <see cref="StepUpMaxBackoff"/> for a step up,
/// and from <see cref="LossyFirstBackoff"/> up to <see cref="LossyMaxBackoff"/> for a step up on a lossy link.
/// State: idle → (probe sent, <see cref="StopSending"/>) settling → (feedback reported its last packet, or
/// <see cref="MaxSettle"/>: <see cref="Finished"/>) idle until <see cref="NextFor"/>.
/// Plain data under the room lock; times are ticks.
/// </summary>
internal sealed class ProbeSchedule
{
    public static readonly long SuccessSpacing = TimeSpan.FromSeconds(2).Ticks;

    public static readonly long PausedMaxBackoff = TimeSpan.FromSeconds(5).Ticks;

    /// <summary>A refused step-up probe still queued a little on a capped link: its retries back off further than a paused video's.</summary>
    public static readonly long StepUpMaxBackoff = TimeSpan.FromSeconds(20).Ticks;

    /// <summary>
    /// A step-up probe refused on a link that loses packets at random backs the next one off at least this long: such a
    /// probe must drain a rate limiter's burst to be believed, so it always overshoots, and the audio sharing the link
    /// queues behind its last kilobytes. RuralLinkFigures on the 300 kbit/s + 5 % loss + 400 ms link (2026-12-05 20:28):
    /// two refused probes in the 30 s window, 14.1 % and 36.6 % of the seconds after them concealed, 1.85 % of the
    /// window's audio against 0.04 % for the rest. The same spacing as <see cref="LayerGate.LossyFirstBackoff"/>.
    /// </summary>
    public static readonly long LossyFirstBackoff = LayerGate.LossyFirstBackoff;

    public static readonly long LossyMaxBackoff = LayerGate.LossyMaxBackoff;

    /// <summary>
    /// The longest a finished probe waits for its feedback. It usually comes far sooner (a round trip and the receiver's
    /// feedback interval): the result is taken as soon as the feedback has reported the probe's last packet.
    /// </summary>
    public static readonly long MaxSettle = TimeSpan.FromMilliseconds(1000).Ticks;

    /// <summary>A probe for less than this share of the last failed probe's rate ignores that failure's backoff.</summary>
    public const double LowerNeed = 0.8;

    private long _backoff = SuccessSpacing;
    private long _settleUntil;
    private long _lastSequence = -1;

    /// <summary>No probe before this (ticks), unless <see cref="NextFor"/> lets one through sooner.</summary>
    public long NextProbeTicks { get; private set; }

    /// <summary>The target of the last probe that failed or was refused (bits per second; 0: none since the last success).</summary>
    public double FailedBps { get; private set; }

    /// <summary>When the last probe's result was taken (ticks).</summary>
    public long EndedTicks { get; private set; }

    /// <summary>The current backoff is a lossy link's step-up backoff (<see cref="LossyFirstBackoff"/>).</summary>
    public bool LossyBackoff { get; private set; }

    /// <summary>A probe has stopped sending and its result is not taken yet.</summary>
    public bool Settling => _settleUntil != 0;

    /// <summary>Probes whose result was taken as soon as the feedback reported their last packet (before <see cref="MaxSettle"/>).</summary>
    public int SettledOnFeedback { get; private set; }

    /// <summary>The probe stopped sending; <paramref name="lastSequence"/> is the transport-wide number of its last packet.</summary>
    public void StopSending(long now, long lastSequence)
    {
        _settleUntil = now + MaxSettle;
        _lastSequence = lastSequence;
    }

    /// <summary>
    /// Whether the settling probe's result may be taken: the feedback has reported its last packet (received or lost;
    /// <paramref name="highestReported"/> is the highest transport-wide number any feedback has reported), or
    /// <see cref="MaxSettle"/> has passed (an outage, or a receiver that stopped sending feedback).
    /// </summary>
    public bool Settled(long now, long highestReported)
    {
        if (highestReported >= _lastSequence)
        {
            SettledOnFeedback++;
            return true;
        }
        return now >= _settleUntil;
    }

    /// <summary>
    /// The probe's result is taken: <paramref name="got"/> whether it got through what was wanted. The next probe follows
    /// after the spacing for <paramref name="kind"/>, and not before <paramref name="notBefore"/> (a paused video's resume backoff).
    /// </summary>
    public void Finished(long now, bool got, double targetBps, ProbeSpacing kind, long notBefore = 0)
    {
        _settleUntil = 0;
        if (got)
        {
            _backoff = SuccessSpacing;
            FailedBps = 0;
            LossyBackoff = false;
        }
        else
        {
            var (first, max) = kind switch
            {
                ProbeSpacing.Paused => (0L, PausedMaxBackoff),
                ProbeSpacing.LossyStepUp => (LossyFirstBackoff, LossyMaxBackoff),
                _ => (0L, StepUpMaxBackoff),
            };
            _backoff = Math.Min(Math.Max(_backoff * 2, first), max);
            FailedBps = targetBps;
            LossyBackoff = kind == ProbeSpacing.LossyStepUp;
        }
        EndedTicks = now;
        NextProbeTicks = Math.Max(now + _backoff, notBefore);
    }

    /// <summary>
    /// When a probe at <paramref name="probeBps"/> may start. A probe for a clearly lower rate than the one that failed
    /// (the slot fell a layer since) follows <see cref="SuccessSpacing"/> after the failure, as libwebrtc's ProbeController
    /// probes soon after a large drop of the estimate; a lossy link's long backoff shrinks to a step up's once the link
    /// has stopped losing packets (<paramref name="lossy"/> false).
    /// </summary>
    public long NextFor(double probeBps, bool lossy)
    {
        var next = NextProbeTicks;
        if (FailedBps > 0 && probeBps < LowerNeed * FailedBps)
        {
            next = Math.Min(next, EndedTicks + SuccessSpacing);
        }
        if (LossyBackoff && !lossy)
        {
            next = Math.Min(next, EndedTicks + StepUpMaxBackoff);
        }
        return next;
    }
}
