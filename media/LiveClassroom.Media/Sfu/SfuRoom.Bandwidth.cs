// draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1 (feedback read back against the send history),
// draft-alvestrand-rmcat-remb-03 (a receiver's REMB when it sends only that), RFC 4588 §4 + RFC 3550 §5.1 (padding-only
// RTX packets as bandwidth probes), draft-ietf-rmcat-gcc-02 §5.4 + §6 (a step-up probe is accepted only if neither the
// delay trend nor the loss got worse while it ran).
using LiveClassroom.Media.Bwe;
using LiveClassroom.Media.Rtcp;
using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Sfu;

internal sealed partial class SfuRoom
{
    private const int PaddingBytes = 240;
    private static readonly long ProbeDuration = TimeSpan.FromMilliseconds(300).Ticks;
    private static readonly long FeedbackFresh = TimeSpan.FromSeconds(1).Ticks;

    /// <summary>
    /// A step-up probe sends this much more than the estimate says the link carries before it ends: a rate limiter
    /// (token bucket) lets a burst through at line rate, and only once its burst is spent does a probe above the cap
    /// queue up and show it. 1.5 × a 16 KB burst (the `tbf` burst of the rural test links; Linux shapers are commonly
    /// given 10–32 KB): enough to drain it and build a queue the delay trend shows, without filling a 200 ms queue.
    /// </summary>
    public const int ProbeDrainBytes = 24 * 1024;

    /// <summary>
    /// A step-up probe runs at this multiple of what the step needs: it must outrun a cap just below the need fast enough
    /// to drain a burst (at 1.25 × a need of 302 kbit/s a probe drained a 300 kbit/s link's 16 KB too slowly and was taken
    /// at 367 kbit/s; the step to `h` then cost 37.7 % of a second's audio), and lost packets and lost feedback make it
    /// count for a little less than it sent.
    /// </summary>
    public const double StepUpProbeFactor = 1.5;

    /// <summary>
    /// A probe that validates resuming a paused video runs at this multiple of the need (the lowest layer with its headroom,
    /// and the audio), for as long as it takes to send <see cref="ProbeDrainBytes"/> more than the need: whatever the cap
    /// below the need, the probe outruns it by at least that much and so drains a burst of that size and shows the queue.
    /// At 2 × a need of ~160 kbit/s that is 1.2 s. Sized from the need and not the estimate, which after a pause for loss
    /// or an outage says little of the link (and a drain measured against a low estimate is too short: a probe at 1.5 ×
    /// the need over an estimate of 100 kbit/s would end before draining a 150 kbit/s link's 16 KB).
    /// </summary>
    public const double ResumeProbeFactor = 2.0;

    private static readonly long MaxValidatingProbeDuration = TimeSpan.FromMilliseconds(1500).Ticks;
    private readonly TransportCcPacket[] _feedbackScratch = new TransportCcPacket[SubscriberBandwidth.HistorySize];
    private readonly PacketResult[] _resultScratch = new PacketResult[SubscriberBandwidth.HistorySize];

    private void OnTransportFeedback(SfuPeer subscriber, ReadOnlySpan<byte> fci)
    {
        var bandwidth = subscriber.Bandwidth;
        if (bandwidth.TransportCcId == 0)
        {
            return;
        }
        if (!TransportCcFeedback.TryReadHeader(fci, out var header) || header.PacketStatusCount > _feedbackScratch.Length
            || !TransportCcFeedback.TryParse(fci, _feedbackScratch, out header))
        {
            MalformedPackets++;
            return;
        }
        bandwidth.FeedbackPackets++;
        bandwidth.LastFeedbackTicks = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
        // §3.1: arrival times are the reference time plus the running sum of the received packets' deltas.
        var arrivalUs = header.ReferenceTimeUs;
        var count = 0;
        for (var i = 0; i < header.PacketStatusCount; i++)
        {
            var p = _feedbackScratch[i];
            if (p.Received)
            {
                arrivalUs += (long)p.DeltaTicks * TransportCcPacket.MicrosecondsPerTick;
            }
            if (bandwidth.TryTake(p.Sequence, p.Received, out var sendUs, out var size, out var cluster, out var late))
            {
                _resultScratch[count++] = new PacketResult(sendUs, p.Received ? arrivalUs : -1, size, cluster, late);
            }
        }
        bandwidth.Estimator.OnFeedback(_resultScratch.AsSpan(0, count), Environment.TickCount64, RoundTripOf(subscriber));
    }

    private static void OnSubscriberRemb(SfuPeer subscriber, ReadOnlySpan<byte> fci)
    {
        if (RtcpRemb.TryParse(fci, out var bps, out _) && subscriber.Slots.Count > 0)
        {
            subscriber.Bandwidth.RembSeen = true;
            subscriber.Bandwidth.Estimator.OnRemb((long)Math.Min(bps, SubscriberBandwidth.MaxBps), Environment.TickCount64);
        }
    }

    private static double RoundTripOf(SfuPeer subscriber)
    {
        var rtt = 0.0;
        foreach (var slot in subscriber.Slots.Values)
        {
            rtt = Math.Max(rtt, slot.RoundTripTimeMs);
        }
        return rtt > 0 ? rtt : 100;
    }

    /// <summary>Every timer tick (~100 ms), per subscriber: retransmission budget, layer choice, probing.</summary>
    private void TickBandwidth(SfuPeer subscriber, long now)
    {
        var bandwidth = subscriber.Bandwidth;
        if (!subscriber.IsConnected || subscriber.Slots.Count == 0 || !bandwidth.HasEstimate)
        {
            return;
        }
        var estimate = bandwidth.Estimator.EstimateBps;
        subscriber.RetransmissionBudget.SetRate(Math.Max(MinRetransmissionBps, _options.RetransmissionShare * estimate) / 8,
            RetransmissionBurstSeconds, PacketCache.MaxPacketSize * 2);
        if (!bandwidth.Estimator.IsInitialized)
        {
            // Only the starting guess so far: the routed layer stays until the estimate is backed by feedback.
            return;
        }
        if (_options.AdaptiveLayers)
        {
            SelectLayers(subscriber, estimate, now);
        }
        if (_options.Probing)
        {
            TickProbe(subscriber, bandwidth, estimate, now);
        }
    }

    /// <summary>Retransmissions may always use at least this much (bits per second), however low the estimate.</summary>
    private const double MinRetransmissionBps = 16_000;

    // Idle → Probing (ProbeDuration: stamped packets carry the cluster id, padding tops them up to the target rate) →
    // Settling (until the feedback has reported the probe's last packet, at most ProbeSchedule.MaxSettle) → Idle, with
    // the next probe after the schedule's spacing (ProbeSchedule).
    private void TickProbe(SfuPeer subscriber, SubscriberBandwidth bandwidth, long estimate, long now)
    {
        var schedule = bandwidth.Schedule;
        if (bandwidth.ProbeCluster != 0)
        {
            if (now - bandwidth.ProbeStartedTicks < bandwidth.ProbeDurationTicks)
            {
                // Quiet slots (a paused video) send no media to ride on: the timer tops the probe up.
                SendProbePadding(null, bandwidth, subscriber);
                return;
            }
            bandwidth.ProbeCluster = 0;
            schedule.StopSending(now, bandwidth.NextSequence - 1);
            return;
        }
        if (schedule.Settling)
        {
            if (!schedule.Settled(now, bandwidth.HighestReported))
            {
                return;
            }
            FinishProbe(subscriber, bandwidth, now);
            return;
        }
        // The detector's last word counts only while feedback flows: a paused slot sends nothing, so its last state
        // (over-use, most likely) would otherwise forbid the very probe that could resume it.
        var congested = now - bandwidth.LastFeedbackTicks < FeedbackFresh
            && (bandwidth.Estimator.Usage == BandwidthUsage.Overusing || bandwidth.Estimator.LossFraction > 0.1);
        if (now < schedule.NextFor(bandwidth.WantedBps * StepUpProbeFactor, NeedsValidation(subscriber, now))
            || (bandwidth.WantedBps <= estimate && !bandwidth.WantsValidation)
            || bandwidth.WantedBps <= 0 || bandwidth.TransportCcId == 0 || congested || ProbeSlot(subscriber) is null)
        {
            return;
        }
        StartProbe(subscriber, bandwidth, estimate, now);
    }

    private void FinishProbe(SfuPeer subscriber, SubscriberBandwidth bandwidth, long now)
    {
        var result = bandwidth.Estimator.FinishProbe();
        if (bandwidth.ProbeResumes && result < bandwidth.WantedBps && bandwidth.Estimator.LastProbeRefusal is not (null or "too few packets"))
        {
            // The link answered and did not carry the lowest layer: the next try backs off (silence is an outage, whose
            // probes keep the short spacing so the video is back soon after the link).
            bandwidth.Resume.Refused(now);
        }
        if (bandwidth.ProbeValidates && result > 0)
        {
            bandwidth.ValidatedBps = result;
            bandwidth.ValidatedAtTicks = now;
            bandwidth.ProbesValidated++;
        }
        else if (bandwidth.ProbeValidates)
        {
            bandwidth.ProbesRefused++;
        }
        // A paused video's probe is cheap (it asks little more than the audio already takes) and is how the video comes
        // back when the link does, so it keeps a short backoff; a step-up probe that keeps failing costs the media it
        // shares the link with (a token-bucket link delays or drops what the burst overflows), so it backs off further,
        // and on a lossy link, where it must overshoot to be believed, furthest.
        var kind = AnyVideoPaused(subscriber) ? ProbeSpacing.Paused
            : NeedsValidation(subscriber, now) ? ProbeSpacing.LossyStepUp
            : ProbeSpacing.StepUp;
        bandwidth.Schedule.Finished(now, result >= bandwidth.WantedBps, bandwidth.ProbeTargetBps, kind,
            bandwidth.ProbeResumes ? bandwidth.Resume.NextTryTicks : 0);
    }

    // A paused video's estimate may have collapsed to the floor (a total outage): its probe climbs fast (at least twice
    // the estimate, for 300 ms) and is taken at what got through, and it costs little in absolute terms.
    // A step up's probe validates the step: it runs at 1.5 × the rate the step needs (a probe result counts at 95 %, the
    // need includes its headroom, and lost packets and lost feedback make the probe count for less than it sent; and it
    // must outrun a cap just below the need to drain a burst in time), never above three times the estimate, for as long as it takes to send ProbeDrainBytes
    // more than the estimate (300 ms–1.5 s), and it is refused unless the delay trend and the loss held (FinishProbe).
    // The 300 ms probe it replaces got through a token bucket's burst at line rate: on the 300 kbit/s + 5 % loss rural
    // link it read 466 kbit/s, the slot stepped up to `h`, and that layer's keyframe cost the audio a second (48.9 %
    // concealed; RuralLinkFigures 2026-12-05 04:22).
    private void StartProbe(SfuPeer subscriber, SubscriberBandwidth bandwidth, long estimate, long now)
    {
        var paused = AnyVideoPaused(subscriber);
        var resumes = paused && ResumeValidates(subscriber);
        var validate = !paused || resumes;
        if (resumes)
        {
            bandwidth.ProbeTargetBps = bandwidth.WantedBps * ResumeProbeFactor;
            var seconds = ProbeDrainBytes * 8.0 / Math.Max(bandwidth.ProbeTargetBps - bandwidth.WantedBps, 1);
            bandwidth.ProbeDurationTicks = Math.Clamp((long)(seconds * TimeSpan.TicksPerSecond), ProbeDuration, MaxValidatingProbeDuration);
        }
        else if (paused)
        {
            bandwidth.ProbeTargetBps = Math.Min(Math.Max(bandwidth.WantedBps * 1.5, estimate * 2.0), estimate * 4.0);
            bandwidth.ProbeDurationTicks = ProbeDuration;
        }
        else
        {
            bandwidth.ProbeTargetBps = Math.Min(bandwidth.WantedBps * StepUpProbeFactor, estimate * 3.0);
            var aboveEstimate = Math.Max(bandwidth.ProbeTargetBps - estimate, 1);
            var seconds = ProbeDrainBytes * 8.0 / aboveEstimate;
            bandwidth.ProbeDurationTicks = Math.Clamp((long)(seconds * TimeSpan.TicksPerSecond), ProbeDuration, MaxValidatingProbeDuration);
        }
        bandwidth.ProbeValidates = validate;
        bandwidth.ProbeResumes = resumes;
        bandwidth.ProbeCluster = ++bandwidth.ProbeClusters;
        bandwidth.ProbeStartedTicks = now;
        bandwidth.ProbeBytesSent = 0;
        bandwidth.Estimator.StartProbe(bandwidth.ProbeCluster, bandwidth.ProbeTargetBps, validate);
        SendProbePadding(null, bandwidth, subscriber);
    }

    /// <summary>A paused video slot of this subscriber resumes only through a validating probe (<see cref="ResumeValidates(SubscriberSlot, SubscriberBandwidth)"/>).</summary>
    private bool ResumeValidates(SfuPeer subscriber)
    {
        if (!ValidationPossible(subscriber))
        {
            return false;
        }
        foreach (var slot in subscriber.Slots.Values)
        {
            if (slot.Paused && ResumeValidates(slot, subscriber.Bandwidth))
            {
                return true;
            }
        }
        return false;
    }

    private static bool AnyVideoPaused(SfuPeer subscriber)
    {
        foreach (var slot in subscriber.Slots.Values)
        {
            if (slot.Paused)
            {
                return true;
            }
        }
        return false;
    }

    private static SubscriberSlot? ProbeSlot(SfuPeer subscriber)
    {
        foreach (var slot in subscriber.Slots.Values)
        {
            if (slot.RtxSsrc != 0 && RtxPayloadTypeOf(slot) >= 0)
            {
                return slot;
            }
        }
        return null;
    }

    private static int RtxPayloadTypeOf(SubscriberSlot slot)
    {
        var codecPt = slot.OutPayloadType >= 0 ? slot.OutPayloadType : slot.Media.SendCodecs.Count > 0 ? slot.Media.SendCodecs[0].PayloadType : -1;
        return codecPt >= 0 && slot.Media.SendRtxPayloadTypes.TryGetValue(codecPt, out var rtx) ? rtx : -1;
    }

    /// <summary>Tops the probe cluster up to its target rate with padding-only RTX packets (at most 16 at a time).</summary>
    private void SendProbePadding(SubscriberSlot? slot, SubscriberBandwidth bandwidth, SfuPeer subscriber)
    {
        var target = slot is not null && slot.RtxSsrc != 0 ? slot : ProbeSlot(subscriber);
        if (target is null)
        {
            return;
        }
        var rtxPt = RtxPayloadTypeOf(target);
        if (rtxPt < 0)
        {
            return;
        }
        var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
        var elapsed = Math.Max(TimeSpan.TicksPerMillisecond * 20, now - bandwidth.ProbeStartedTicks);
        var due = (long)(bandwidth.ProbeTargetBps / 8 * elapsed / TimeSpan.TicksPerSecond);
        var buffer = Scratch.AsSpan();
        for (var i = 0; i < 16 && bandwidth.ProbeBytesSent < due; i++)
        {
            var headerLength = WriteStampedHeader(buffer, (byte)rtxPt, false, target.RtxSequence++, target.Rewriter.TimestampOffset, target.RtxSsrc, bandwidth);
            // RFC 3550 §5.1: P bit set, the last padding byte counts the padding bytes; an RTX packet without payload.
            buffer[0] |= 0x20;
            buffer.Slice(headerLength, PaddingBytes - 1).Clear();
            buffer[headerLength + PaddingBytes - 1] = PaddingBytes;
            var length = headerLength + PaddingBytes;
            if (!subscriber.SendRtp(buffer, length))
            {
                return;
            }
            bandwidth.PaddingPackets++;
            bandwidth.OnSent(SubscriberBandwidth.NowMicroseconds(), length + WireOverhead);
        }
    }
}
