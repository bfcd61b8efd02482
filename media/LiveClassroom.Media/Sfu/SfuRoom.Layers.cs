// Layer selection per subscriber (docs/BANDWIDTH.md): simulcast layers (RFC 8853) chosen from the subscriber's downlink
// estimate with hysteresis, switched at keyframes through the slot's Target (RFC 7667 §3.7); below the lowest layer the
// video slot pauses and audio goes on (audio-first). On a link that lost packets lately a step up also waits for a
// validating probe (SfuRoom.Bandwidth: draft-ietf-rmcat-gcc-02 §6 cannot tell random loss from congestion there).
namespace LiveClassroom.Media.Sfu;

internal sealed partial class SfuRoom
{
    /// <summary>A layer up (or resuming) needs its measured bitrate × this, for <see cref="LayerUpHold"/> on end.</summary>
    public const double LayerUpHeadroom = 1.2;

    private static readonly long LayerUpHold = TimeSpan.FromSeconds(3).Ticks;

    /// <summary>Audio-first needs at least this loss (0–1), held for <see cref="PauseLossHold"/>, or a loss-based estimate below the lowest layer.</summary>
    public const double PauseLossFraction = 0.02;

    private static readonly long PauseLossHold = TimeSpan.FromSeconds(2).Ticks;

    /// <summary>
    /// A link that lost <see cref="PauseLossFraction"/> or more within this long steps up only to what a validating probe
    /// got through (<see cref="ValidatedFor"/>). With random loss the loss-based control (draft-ietf-rmcat-gcc-02 §6) holds
    /// between 2 and 10 % whatever the layer, so only the delay side could say no, and a rate limiter's burst hides the
    /// delay from anything shorter than a probe that drains it.
    /// </summary>
    public static readonly long LossMemory = TimeSpan.FromSeconds(10).Ticks;

    /// <summary>How long a validating probe's result stands for a step up.</summary>
    public static readonly long ValidatedFor = TimeSpan.FromSeconds(10).Ticks;

    /// <summary>Video pauses only when what is left for it is below this share of the lowest layer's bitrate.</summary>
    public const double PauseBelowFraction = 0.8;

    /// <summary>A paused video tries the lowest layer again after this long (or its gate's backoff), whatever the estimate says.</summary>
    public static readonly long PausedRetryAfter = TimeSpan.FromSeconds(15).Ticks;

    /// <summary>
    /// The same for a video whose resume waits for a validating probe (<see cref="ResumeValidates"/>): the probes decide,
    /// and this blind try is only the last resort should they keep being refused on a link that would carry the layer.
    /// Each blind try on a link that cannot carry it costs seconds of the audio sharing it (150 kbit/s: 22–43 % loss for
    /// 8 s after a resume, RuralLinkFigures 2026-12-05 14:18).
    /// </summary>
    public static readonly long ValidatedPauseRetryAfter = TimeSpan.FromSeconds(60).Ticks;

    /// <summary>What an audio slot costs when its source has not been measured yet (Opus speech with FEC).</summary>
    private const double AudioAllowanceBps = 48_000;

    private readonly List<IncomingStream> _layerScratch = [];

    private void SelectLayers(SfuPeer subscriber, double estimate, long now)
    {
        TrackLoss(subscriber, now);
        // Audio first: what the audio slots take is set aside before any video is chosen.
        var available = estimate;
        foreach (var slot in subscriber.Slots.Values)
        {
            if (slot.Kind == "audio" && slot.Current is { } audio)
            {
                available -= audio.BitrateBps > 0 ? audio.BitrateBps : AudioAllowanceBps;
            }
        }
        double wanted = 0;
        var bandwidth = subscriber.Bandwidth;
        // What a validating probe showed the link carries, less the audio: the most a step up may reach on a lossy link.
        var validated = double.PositiveInfinity;
        if (NeedsValidation(subscriber, now))
        {
            validated = bandwidth.ValidatedAtTicks != 0 && now - bandwidth.ValidatedAtTicks < ValidatedFor
                ? (0.95 * bandwidth.ValidatedBps) - (estimate - available)
                : 0;
        }
        // What a validating probe taken since the video paused showed, less the audio: the most a resume may need.
        var probed = bandwidth.ValidatedAtTicks != 0 && now - bandwidth.ValidatedAtTicks < ValidatedFor
            ? (0.95 * bandwidth.ValidatedBps) - (estimate - available)
            : 0;
        var validationPossible = ValidationPossible(subscriber);
        double videoTaken = 0;
        var awaitsProbe = false;
        foreach (var slot in subscriber.Slots.Values)
        {
            if (slot.Kind != "video" || slot.Track is not { } track || track.Unpublished || slot.Rid is not null)
            {
                continue;
            }
            OrderedLayers(track, _layerScratch);
            if (_layerScratch.Count == 0)
            {
                continue;
            }
            var before = slot.Paused ? -1 : _layerScratch.IndexOf(slot.Target ?? slot.Current ?? _layerScratch[^1]);
            var resumeValidates = slot.Paused && validationPossible && ResumeValidates(slot, bandwidth);
            var limit = validated;
            if (resumeValidates)
            {
                // Only a probe taken since this pause counts: an earlier one says nothing of the link that paused it.
                limit = bandwidth.ValidatedAtTicks > slot.PausedSinceTicks ? probed - videoTaken : 0;
            }
            var chosen = ChooseLayer(slot, _layerScratch, available, limit, resumeValidates, bandwidth.Resume, now, out var next, out var awaits);
            awaitsProbe |= awaits;
            if (chosen < 0 && !slot.Paused && available >= _layerScratch[0].BitrateBps * PauseBelowFraction)
            {
                // Just short of the lowest layer: keep it (a link that cannot carry it loses packets, and the loss-based
                // estimate then falls clear below).
                chosen = 0;
                slot.Gate.BelowLongEnough(false, now);
            }
            else if (chosen < 0 && !slot.Paused)
            {
                // A dip (the delay-based estimate after a keyframe burst, a probe's aftermath) keeps the lowest layer;
                // only an estimate that stays low pauses. Delay alone never pauses video: a queue that grows without loss
                // (a loaded machine, a long path) keeps the lowest layer.
                var stayedLow = slot.Gate.BelowLongEnough(true, now);
                if (!stayedLow || !MayPause(subscriber, estimate - available + _layerScratch[0].BitrateBps, now))
                {
                    chosen = 0;
                }
                else
                {
                    // With transport-wide feedback MayPause pauses only for loss (measured, or a loss-based estimate
                    // below the lowest layer): the link that paused it must show it carries the layer before video resumes.
                    slot.PausedForLoss = bandwidth.Estimator.HasTransportFeedback;
                }
            }
            else
            {
                slot.Gate.BelowLongEnough(false, now);
            }
            if (chosen > before)
            {
                // A resume (before −1) is not a step to a layer the link may not carry: it keeps the short backoff, or a
                // retry that fell into a total outage (100 % loss) would hold the video back for 20 s after the link returned.
                slot.Gate.SteppedUp(now, before >= 0 && LossyLink(subscriber, now));
                if (before < 0)
                {
                    bandwidth.Resume.Resumed(now);
                }
            }
            else if (chosen < before)
            {
                slot.Gate.SteppedDown(now);
                if (chosen < 0)
                {
                    bandwidth.Resume.Paused(now);
                }
            }
            else
            {
                slot.Gate.Held(now);
                if (chosen >= 0)
                {
                    bandwidth.Resume.Held(now);
                }
            }
            if (next > 0 && wanted == 0 && (before < 0 || !bandwidth.Resume.OnTrial(now)))
            {
                // A video that just resumed asks for no step-up probe until it has held the fail window: such a probe
                // overshoots the link by design (it must drain a burst), and right after a resume the lowest layer's
                // keyframe is already on it (at 150 kbit/s a 537 kbit/s probe went out the moment the video resumed).
                wanted = estimate - available + next;
            }
            Apply(slot, chosen < 0 ? null : _layerScratch[chosen]);
            if (chosen >= 0)
            {
                available -= _layerScratch[chosen].BitrateBps;
                validated -= _layerScratch[chosen].BitrateBps;
                videoTaken += _layerScratch[chosen].BitrateBps;
            }
        }
        bandwidth.WantedBps = wanted;
        bandwidth.WantsValidation = awaitsProbe;
        ReportQuality(subscriber);
    }

    /// <summary>
    /// Audio-first is for links that lose packets: loss at or above <see cref="PauseLossFraction"/> for <see cref="PauseLossHold"/>,
    /// or a loss-based estimate that loss put below the lowest layer (<paramref name="lowestNeedBps"/>, audio included).
    /// The delay-based estimate alone never pauses, nor does the loss-based one while it only sits at its delay-based cap
    /// (a loaded machine paused video on a clean 1 Mbit/s link: 47 kbit/s "loss-based" at 0 % loss, RuralLinkFigures at load 26).
    /// Without transport-wide feedback (REMB, or nothing) the estimate is all there is.
    /// </summary>
    private static bool MayPause(SfuPeer subscriber, double lowestNeedBps, long now)
    {
        var bandwidth = subscriber.Bandwidth;
        var estimator = bandwidth.Estimator;
        if (now < bandwidth.NoPauseUntilTicks)
        {
            return false;
        }
        if (!estimator.HasTransportFeedback)
        {
            return true;
        }
        return LossyLink(subscriber, now) || (estimator.LossBasedBps < lowestNeedBps && !estimator.LossBasedHeldByDelay);
    }

    /// <summary>The subscriber's loss has stayed at or above <see cref="PauseLossFraction"/> for <see cref="PauseLossHold"/>.</summary>
    private static bool LossyLink(SfuPeer subscriber, long now) =>
        subscriber.Bandwidth.LossySinceTicks != 0 && now - subscriber.Bandwidth.LossySinceTicks >= PauseLossHold;

    /// <summary>
    /// A step up must wait for a validating probe: the link lost <see cref="PauseLossFraction"/> or more within
    /// <see cref="LossMemory"/>, and validating probes can be sent (without them the old rule stands: the estimate alone).
    /// </summary>
    private bool NeedsValidation(SfuPeer subscriber, long now)
    {
        var bandwidth = subscriber.Bandwidth;
        return _options.Probing && bandwidth.TransportCcId != 0 && bandwidth.LastLossyTicks != 0
            && now - bandwidth.LastLossyTicks < LossMemory && ProbeSlot(subscriber) is not null;
    }

    /// <summary>Validating probes can be sent to this subscriber (probing on, transport-cc negotiated and flowing, an RTX slot for padding).</summary>
    private bool ValidationPossible(SfuPeer subscriber) =>
        _options.Probing && subscriber.Bandwidth.TransportCcId != 0 && subscriber.Bandwidth.Estimator.HasTransportFeedback
        && ProbeSlot(subscriber) is not null;

    /// <summary>
    /// A paused video resumes only through a validating probe when it paused for loss or its last resume failed: the
    /// estimate of such a link may have been lifted by a probe that got through a token bucket's burst at line rate.
    /// </summary>
    private static bool ResumeValidates(SubscriberSlot slot, SubscriberBandwidth bandwidth) =>
        slot.PausedForLoss || bandwidth.Resume.Failures > 0;

    /// <summary>Every tick: since when the subscriber's loss (transport-cc feedback, receiver reports) has stayed at or above <see cref="PauseLossFraction"/>.</summary>
    private static void TrackLoss(SfuPeer subscriber, long now)
    {
        var bandwidth = subscriber.Bandwidth;
        var loss = bandwidth.Estimator.LossFraction;
        foreach (var slot in subscriber.Slots.Values)
        {
            loss = Math.Max(loss, slot.LossFraction);
        }
        if (loss < PauseLossFraction)
        {
            bandwidth.LossySinceTicks = 0;
        }
        else
        {
            bandwidth.LastLossyTicks = now;
            if (bandwidth.LossySinceTicks == 0)
            {
                bandwidth.LossySinceTicks = now;
            }
        }
    }

    // Down at once to the highest layer the estimate carries (pause below the lowest); up one step only after the next
    // layer has fitted with headroom for LayerUpHold, and (on a lossy link) once a validating probe got through what it
    // needs (<paramref name="validated"/>; <paramref name="awaitsProbe"/>: the step waits for one).
    // A paused video whose resume validates (<paramref name="resumeValidates"/>) resumes once a validating probe taken
    // since the pause got through the lowest layer's need (<paramref name="validated"/>), without the hold (the probe
    // is the stronger evidence), and asks for no probe while a failed resume's backoff runs.
    // <paramref name="next"/>: what the next step up would need (0: none).
    private static int ChooseLayer(SubscriberSlot slot, List<IncomingStream> layers, double available, double validated,
        bool resumeValidates, ResumeBackoff resume, long now, out double next, out bool awaitsProbe)
    {
        awaitsProbe = false;
        var retryAfter = resumeValidates ? ValidatedPauseRetryAfter : PausedRetryAfter;
        if (slot.Paused && now - slot.PausedSinceTicks >= retryAfter && now >= slot.Gate.BlockedUntilTicks)
        {
            // Probes may not get through a link that would carry the lowest layer: after a while, simply try it.
            next = 0;
            slot.UpAllowedSinceTicks = 0;
            return 0;
        }
        var current = slot.Paused ? -1 : layers.IndexOf(slot.Target ?? slot.Current ?? layers[^1]);
        if (current < 0 && !slot.Paused)
        {
            current = layers.Count - 1;
        }
        var index = current;
        while (index >= 0 && layers[index].BitrateBps > available)
        {
            index--;
        }
        next = 0;
        if (index < current)
        {
            slot.UpAllowedSinceTicks = 0;
            return index;
        }
        if (index + 1 >= layers.Count || layers[index + 1].BitrateBps <= 0)
        {
            slot.UpAllowedSinceTicks = 0;
            return index;
        }
        next = layers[index + 1].BitrateBps * LayerUpHeadroom;
        if (resumeValidates)
        {
            slot.UpAllowedSinceTicks = 0;
            if (now < slot.Gate.BlockedUntilTicks || !resume.MayTry(now))
            {
                // A resume failed (or a try was refused) lately: no probe until its backoff has run.
                next = 0;
                return index;
            }
            if (next <= validated)
            {
                return index + 1;
            }
            // The estimate alone does not resume: a probe must drain a rate limiter's burst and show the need gets through.
            awaitsProbe = true;
            return index;
        }
        if (next > available || !slot.Gate.MayStepUp(available, layers[index + 1].BitrateBps, now))
        {
            slot.UpAllowedSinceTicks = 0;
            return index;
        }
        if (slot.UpAllowedSinceTicks == 0)
        {
            slot.UpAllowedSinceTicks = now;
            return index;
        }
        if (now - slot.UpAllowedSinceTicks < LayerUpHold)
        {
            return index;
        }
        if (index >= 0 && next > validated)
        {
            // The estimate has allowed the step for LayerUpHold; it is taken once a probe shows the link carries it.
            // (A resume that validates was decided above, from a probe taken since the pause.)
            awaitsProbe = true;
            return index;
        }
        slot.UpAllowedSinceTicks = 0;
        return index + 1;
    }

    private void Apply(SubscriberSlot slot, IncomingStream? layer)
    {
        if (layer is null)
        {
            if (!slot.Paused)
            {
                slot.PausedSinceTicks = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
            }
            slot.Paused = true;
            return;
        }
        var wasPaused = slot.Paused;
        slot.Paused = false;
        slot.PausedForLoss = false;
        if (wasPaused)
        {
            var bandwidth = slot.Subscriber.Bandwidth;
            bandwidth.LossySinceTicks = 0;
            bandwidth.NoPauseUntilTicks = Environment.TickCount64 * TimeSpan.TicksPerMillisecond + PauseLossHold;
        }
        slot.SelectedRid = layer.Rid;
        if (wasPaused && slot.Current == layer && !slot.Rewriter.IsSwitchPending)
        {
            // Resume the same stream: its next keyframe restarts the picture, numbering continues without a gap.
            slot.Rewriter.Resync();
            slot.Target = layer;
            slot.LastKeyframeRequestTicks = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
            RequestKeyframe(layer, force: true);
            return;
        }
        if ((slot.Target ?? slot.Current) != layer)
        {
            RetargetSlot(slot);
        }
    }

    /// <summary>The track's layers, lowest first (the publisher's rid order; q;h;f in Chrome).</summary>
    private static void OrderedLayers(PublishedTrack track, List<IncomingStream> into)
    {
        into.Clear();
        foreach (var rid in track.Rids)
        {
            if (track.Layer(rid) is { } layer)
            {
                into.Add(layer);
            }
        }
        if (into.Count == 0 && track.Layer(null) is { } single)
        {
            into.Add(single);
        }
    }

    private void ReportQuality(SfuPeer subscriber)
    {
        var (paused, layer) = QualityOf(subscriber);
        var bandwidth = subscriber.Bandwidth;
        if (bandwidth.Reported && bandwidth.ReportedPaused == paused && bandwidth.ReportedLayer == layer)
        {
            return;
        }
        bandwidth.Reported = true;
        bandwidth.ReportedPaused = paused;
        bandwidth.ReportedLayer = layer;
        _events.MediaQualityChanged(Id, subscriber.Id, paused, layer, bandwidth.Estimator.EstimateBps);
    }

    /// <summary>Whether a video slot is paused, and the layer the first video slot carries or is switching to.</summary>
    private static (bool Paused, string? Layer) QualityOf(SfuPeer subscriber)
    {
        var paused = false;
        string? layer = null;
        foreach (var slot in subscriber.Slots.Values)
        {
            if (slot.Kind != "video" || slot.Track is null)
            {
                continue;
            }
            paused |= slot.Paused;
            if (layer is null && !slot.Paused && (slot.Target ?? slot.Current) is { } stream)
            {
                layer = stream.Rid ?? "single";
            }
        }
        return (paused, layer);
    }
}
