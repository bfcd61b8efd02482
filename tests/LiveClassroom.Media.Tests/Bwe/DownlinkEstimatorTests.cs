using LiveClassroom.Media.Bwe;

namespace LiveClassroom.Media.Tests.Bwe;

/// <summary>The GCC-style estimator (draft-ietf-rmcat-gcc-02 §5–6) on synthetic arrival patterns from a simulated bottleneck.</summary>
public sealed class DownlinkEstimatorTests
{
    private const double Initial = 800_000;

    private static DownlinkEstimator NewEstimator() => new(Initial, 50_000, 20_000_000);

    [Fact]
    public void Feedback_ConstantRateUnderCapacity_NeverOverusesAndTheEstimateHoldsOrGrows()
    {
        var estimator = NewEstimator();
        var link = new SimulatedLink(5_000_000, 40_000);
        var overuse = 0;
        var lowest = double.MaxValue;
        link.Run(estimator, 600_000, 0, 20_000_000, _ =>
        {
            overuse += estimator.Usage == BandwidthUsage.Overusing ? 1 : 0;
            lowest = Math.Min(lowest, estimator.EstimateBps);
        });

        Assert.Equal(0, overuse);
        Assert.True(lowest >= Initial, $"estimate fell to {lowest}");
        // R_hat ≈ 600 kbps: the estimate grows up to 1.5·R_hat, not beyond.
        Assert.InRange(estimator.EstimateBps, Initial, (1.5 * 620_000) + 10_000);
        Assert.InRange(estimator.ReceivedBps, 550_000, 650_000);
    }

    [Fact]
    public void Feedback_QueueingDelayGrows_OveruseDetectedAndTheEstimateFallsBelowCapacity()
    {
        var estimator = NewEstimator();
        // 1.2 Mbps into a 700 kbps bottleneck: the queue (and one-way delay) grows steadily.
        var link = new SimulatedLink(700_000, 40_000);
        var overused = false;
        link.Run(estimator, 1_200_000, 0, 6_000_000, _ => overused |= estimator.Usage == BandwidthUsage.Overusing);

        Assert.True(overused, "no over-use was detected");
        Assert.True(estimator.EstimateBps < 700_000, $"estimate {estimator.EstimateBps} not below the 700 kbps bottleneck");
    }

    [Fact]
    public void OutageEnded_FifteenSecondsSentIntoADeadLink_ReportedLostAfterIt_TheEstimateStaysWhereItWas()
    {
        var estimator = NewEstimator();
        var link = new SimulatedLink(5_000_000, 40_000);
        var now = link.Run(estimator, 600_000, 0, 10_000_000);
        var before = estimator.EstimateBps;

        // 15 s of 1,000-byte packets at 600 kbps into a link that is down, nothing back; when it returns, the first
        // feedback reports them all lost (as Chrome's did: 97 % loss in that second), then media flows as before.
        var outage = new List<PacketResult>();
        for (var t = now; t < now + 15_000_000; t += 13_333)
        {
            outage.Add(new PacketResult(t, -1, 1000));
        }
        var back = now + 15_000_000;
        estimator.OnOutageEnded(back);
        estimator.OnFeedback(outage.ToArray(), back / 1000.0, 100);
        var lowest = double.MaxValue;
        link.Run(estimator, 600_000, back, 3_000_000, _ => lowest = Math.Min(lowest, estimator.EstimateBps));

        Assert.Equal(outage.Count, estimator.OutageLosses);
        Assert.Equal(0, estimator.LossCuts);
        Assert.True(lowest >= before, $"the estimate fell from {before} to {lowest} after the outage");
    }

    [Fact]
    public void Feedback_FifteenPercentLoss_TheEstimateDecreases()
    {
        var estimator = NewEstimator();
        // Plenty of capacity, no queueing: only the loss-based controller (§6, p > 10 %) can pull the estimate down.
        var link = new SimulatedLink(10_000_000, 40_000, index => index % 20 is 3 or 9 or 15);
        link.Run(estimator, 600_000, 0, 10_000_000);

        Assert.InRange(estimator.LossFraction, 0.12, 0.18);
        Assert.True(estimator.EstimateBps < Initial * 0.7, $"estimate {estimator.EstimateBps}");
        Assert.True(estimator.LossBasedBps < estimator.DelayBasedBps);
    }

    [Fact]
    public void Feedback_OnePercentLoss_TheEstimateDoesNotDecrease()
    {
        var estimator = NewEstimator();
        var link = new SimulatedLink(10_000_000, 40_000, index => index % 100 == 50);
        link.Run(estimator, 600_000, 0, 10_000_000);

        Assert.True(estimator.EstimateBps >= Initial, $"estimate {estimator.EstimateBps}");
    }

    [Fact]
    public void Probe_PathCarriesMore_TheEstimateJumpsToWhatTheProbeGotThrough_CappedByTheBottleneck()
    {
        var estimator = NewEstimator();
        var link = new SimulatedLink(3_000_000, 40_000);
        var now = link.Run(estimator, 300_000, 0, 3_000_000);
        Assert.True(estimator.EstimateBps < 1_000_000);

        // A 250 ms cluster at 5 Mbps: the 3 Mbps bottleneck spreads its arrivals out to 3 Mbps.
        estimator.StartProbe(1, 5_000_000);
        const int Size = 1000;
        var gapUs = (long)(Size * 8 * 1e6 / 5_000_000);
        for (var t = now; t < now + 250_000; t += gapUs)
        {
            link.Send(t, Size, probeCluster: 1);
        }
        link.Feedback(estimator, now + 800_000);
        var probed = estimator.FinishProbe();

        Assert.InRange(probed, 2_700_000, 3_100_000);
        Assert.InRange(estimator.EstimateBps, 2_500_000, 3_000_000);
    }

    [Fact]
    public void Probe_ShortThroughATokenBucket_ReadsTheBurstsLineRate()
    {
        // Why a step up needs a validating probe: 300 kbit/s behind a 16 KB bucket (the rural test link's `tbf`), media at
        // 170 kbit/s leaves the bucket full, and a 300 ms probe at 466 kbit/s passes at line rate — it reads 466.
        var (estimator, link, now) = TokenBucketLink();

        var probed = SendProbe(estimator, link, now, 1, 466_000, 300_000, validate: false);

        Assert.InRange(probed, 440_000, 466_000);
    }

    [Fact]
    public void Probe_ValidatingThroughATokenBucket_DrainsTheBurst_RefusedAndTheEstimateStaysBelowTheStep()
    {
        var (estimator, link, now) = TokenBucketLink();
        var before = estimator.EstimateBps;

        // The SFU's validating probe for a 338 kbit/s step: 1.5 × that, until 24 KB more than the estimate was sent.
        const double Target = 507_000;
        var durationUs = (long)(24 * 1024 * 8 * 1e6 / Math.Max(Target - before, 1));
        var probed = SendProbe(estimator, link, now, 1, Target, Math.Clamp(durationUs, 300_000, 1_500_000), validate: true);

        Assert.Equal(0, probed);
        Assert.NotNull(estimator.LastProbeRefusal);
        Assert.True(estimator.EstimateBps < 338_000, $"estimate {estimator.EstimateBps} allows the step ({estimator.LastProbeRefusal})");
    }

    [Fact]
    public void Probe_ValidatingRefusedThroughATokenBucketWithRandomLoss_NeverLowersTheEstimate()
    {
        // The rural link: 300 kbit/s behind a 16 KB bucket whose queue holds 640 ms (`tbf … latency 200ms`: the burst
        // plus 200 ms at the rate), 5 % random loss, 200 ms each way, ~170 kbit/s of audio and `q`. The validating probe
        // for `h` (1.5 × 338 kbit/s, until 24 KB past the estimate) drains the burst and queues: it is refused — and its
        // overshoot must not cut the estimate below where it stood (that cut, 0.85 × what arrived, paused the video).
        // Starting at the cap, as the SFU's estimate of that link sits (a probe from well below it does not drain the burst).
        var estimator = new DownlinkEstimator(300_000, 30_000, 20_000_000);
        var link = new SimulatedLink(300_000, 200_000, index => index % 20 == 7) { BurstBytes = 16 * 1024, MaxQueueUs = 640_000 };
        var now = link.Run(estimator, 170_000, 0, 10_000_000);
        var before = estimator.EstimateBps;
        Assert.InRange(before, 170_000, 337_999);

        const double Target = 507_000;
        var durationUs = Math.Clamp((long)(24 * 1024 * 8 * 1e6 / (Target - before)), 300_000, 1_500_000);
        var lowest = double.MaxValue;
        estimator.StartProbe(1, Target, validate: true);
        now = SendAlongsideMedia(estimator, link, now, 1, Target, 170_000, durationUs, e => lowest = Math.Min(lowest, e.EstimateBps));
        // The SFU takes the result a second after the probe ended.
        now = link.Run(estimator, 170_000, now, 1_000_000, _ => lowest = Math.Min(lowest, estimator.EstimateBps));
        var probed = estimator.FinishProbe();
        link.Run(estimator, 170_000, now, 3_000_000, _ => lowest = Math.Min(lowest, estimator.EstimateBps));

        Assert.True(probed == 0, $"probe accepted at {probed} (estimate before {before}, {durationUs} µs)");
        Assert.NotNull(estimator.LastProbeRefusal);
        Assert.True(lowest >= before, $"the estimate fell from {before} to {lowest} ({estimator.LastProbeRefusal}; cuts: delay {estimator.DelayCuts}, loss {estimator.LossCuts})");
        Assert.True(estimator.EstimateBps < 338_000, $"estimate {estimator.EstimateBps} allows the step");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Probe_ValidatingProbesEverySfuBackoffOnTheTokenBucketLink_NoneAccepted_TheEstimateNeverFallsBelowTheLowestLayer(int seed)
    {
        // Three minutes of the rural link as the SFU sees it: 5 % random loss both ways (media, and feedback batches whose
        // packets are then never reported), 200 ms each way, ~170 kbit/s of audio and `q`, and a validating probe for `h`
        // (1.5 × 338 kbit/s until 24 KB past the estimate, the result a second after it) each time the backoff allows
        // (2 s doubling to 20 s on refusals). A refused probe that cut the estimate (to 0.85 × what arrived, less with
        // lost feedback) left the next probe sized from a lower estimate: too short to drain the burst, it was taken at
        // the burst's line rate — the step to `h` the cap cannot carry.
        var random = new Random(seed);
        var estimator = new DownlinkEstimator(300_000, 30_000, 20_000_000);
        var link = new SimulatedLink(300_000, 200_000, _ => random.NextDouble() < 0.05)
        {
            BurstBytes = 16 * 1024,
            MaxQueueUs = 640_000,
            LoseFeedback = () => random.NextDouble() < 0.05,
            RoundTripMs = 450,
        };
        var now = link.Run(estimator, 170_000, 0, 5_000_000);
        var backoffUs = 2_000_000L;
        var accepted = new List<string>();
        var lowest = double.MaxValue;
        const double Step = 338_000;
        while (now < 180_000_000)
        {
            var before = estimator.EstimateBps;
            var target = Math.Min(1.5 * Step, 3.0 * before);
            var durationUs = Math.Clamp((long)(24 * 1024 * 8 * 1e6 / Math.Max(target - before, 1)), 300_000, 1_500_000);
            estimator.StartProbe(1, target, validate: true);
            now = SendAlongsideMedia(estimator, link, now, 1, target, 170_000, durationUs, e => lowest = Math.Min(lowest, e.EstimateBps));
            now = link.Run(estimator, 170_000, now, 1_000_000, _ => lowest = Math.Min(lowest, estimator.EstimateBps));
            var result = estimator.FinishProbe();
            if (result > 0)
            {
                accepted.Add($"{now / 1e6:0.0} s: {result} (estimate before {before})");
            }
            backoffUs = result > 0 ? 2_000_000 : Math.Min(backoffUs * 2, 20_000_000);
            now = link.Run(estimator, 170_000, now, backoffUs, _ => lowest = Math.Min(lowest, estimator.EstimateBps));
        }

        Assert.True(accepted.Count == 0, $"probes taken on a 300 kbit/s link: {string.Join("; ", accepted)}");
        // What the audio (~62 kbit/s) and `q` (~90) need with the layer rules' headroom: the video must never be paused.
        Assert.True(lowest >= 170_000, $"the estimate fell to {lowest}");
    }

    /// <summary>
    /// Media at <paramref name="mediaBps"/> in 1,000-byte packets topped up to <paramref name="targetBps"/> with 250-byte
    /// padding, all of cluster <paramref name="cluster"/>, for <paramref name="durationUs"/> (as the SFU marks what it sends
    /// during a probe); <paramref name="everyFeedback"/> after each feedback. Returns the end time.
    /// </summary>
    private static long SendAlongsideMedia(DownlinkEstimator estimator, SimulatedLink link, long fromUs, int cluster, double targetBps, double mediaBps,
        long durationUs, Action<DownlinkEstimator> everyFeedback)
    {
        const int Media = 1000;
        const int Padding = 250;
        var mediaGapUs = (long)(Media * 8 * 1e6 / mediaBps);
        long sent = 0;
        var nextMedia = fromUs;
        var now = fromUs;
        for (; now < fromUs + durationUs; now += 1000)
        {
            if (now >= nextMedia)
            {
                link.Send(now, Media, cluster);
                sent += Media;
                nextMedia += mediaGapUs;
            }
            for (var due = targetBps / 8 * (now - fromUs) / 1e6; sent < due; sent += Padding)
            {
                link.Send(now, Padding, cluster);
            }
            link.Feedback(estimator, now);
            everyFeedback(estimator);
        }
        return now;
    }

    [Fact]
    public void Probe_ValidatingOnALossyButWideLink_Accepted_TheEstimateRisesToIt()
    {
        // 5 % random loss (every 20th packet) on a 2 Mbit/s link: loss that no rate removes must not refuse the probe.
        var estimator = NewEstimator();
        var link = new SimulatedLink(2_000_000, 200_000, index => index % 20 == 7);
        var now = link.Run(estimator, 170_000, 0, 10_000_000);
        Assert.InRange(estimator.LossFraction, 0.03, 0.07);

        var probed = SendProbe(estimator, link, now, 1, 800_000, 800_000, validate: true);

        Assert.Null(estimator.LastProbeRefusal);
        Assert.InRange(probed, 700_000, 800_000);
        Assert.True(estimator.EstimateBps >= 0.95 * 700_000, $"estimate {estimator.EstimateBps}");
    }

    [Fact]
    public void Probe_ValidatingIntoAPlainBottleneck_Refused()
    {
        var estimator = NewEstimator();
        var link = new SimulatedLink(500_000, 40_000);
        var now = link.Run(estimator, 300_000, 0, 10_000_000);

        var probed = SendProbe(estimator, link, now, 1, 900_000, 500_000, validate: true);

        Assert.Equal(0, probed);
        Assert.NotNull(estimator.LastProbeRefusal);
    }

    private static (DownlinkEstimator Estimator, SimulatedLink Link, long NowUs) TokenBucketLink()
    {
        var estimator = new DownlinkEstimator(250_000, 30_000, 20_000_000);
        var link = new SimulatedLink(300_000, 200_000) { BurstBytes = 16 * 1024, MaxQueueUs = 200_000 };
        var now = link.Run(estimator, 170_000, 0, 10_000_000);
        Assert.True(estimator.EstimateBps < 338_000, $"estimate {estimator.EstimateBps} before the probe");
        return (estimator, link, now);
    }

    /// <summary>A probe cluster of 1,000-byte packets at <paramref name="rateBps"/> for <paramref name="durationUs"/>, then its feedback.</summary>
    private static long SendProbe(DownlinkEstimator estimator, SimulatedLink link, long fromUs, int cluster, double rateBps, long durationUs, bool validate)
    {
        estimator.StartProbe(cluster, rateBps, validate);
        const int Size = 1000;
        var gapUs = (long)(Size * 8 * 1e6 / rateBps);
        for (var t = fromUs; t < fromUs + durationUs; t += gapUs)
        {
            link.Send(t, Size, probeCluster: cluster);
            link.Feedback(estimator, t);
        }
        link.Feedback(estimator, fromUs + durationUs + 1_000_000);
        return estimator.FinishProbe();
    }

    [Fact]
    public void Remb_WithoutTransportFeedback_IsTheEstimate_IgnoredOnceFeedbackFlows()
    {
        var estimator = NewEstimator();
        estimator.OnRemb(420_000, 0);
        Assert.Equal(420_000, estimator.EstimateBps);

        var link = new SimulatedLink(5_000_000, 40_000);
        link.Run(estimator, 300_000, 0, 1_000_000);
        var before = estimator.EstimateBps;
        estimator.OnRemb(100_000, 2000);
        Assert.Equal(before, estimator.EstimateBps);
    }
}
