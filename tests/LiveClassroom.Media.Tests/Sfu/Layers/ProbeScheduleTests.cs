using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media.Tests.Sfu.Layers;

/// <summary>The spacing of one subscriber's bandwidth probes and when a finished probe's result is taken (docs/BANDWIDTH.md, "Probing").</summary>
public sealed class ProbeScheduleTests
{
    private static readonly long Second = TimeSpan.FromSeconds(1).Ticks;

    [Fact]
    public void Finished_StepUpRefusals_SpacingDoublesUpTo20Seconds_ASuccessResetsIt()
    {
        var schedule = new ProbeSchedule();
        var t = 100 * Second;
        var waits = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            schedule.Finished(t, got: false, 500_000, ProbeSpacing.StepUp);
            waits.Add((schedule.NextFor(500_000, lossy: false) - t) / Second);
        }
        Assert.Equal([4L, 8, 16, 20, 20, 20], waits);

        schedule.Finished(t, got: true, 500_000, ProbeSpacing.StepUp);
        Assert.Equal(t + ProbeSchedule.SuccessSpacing, schedule.NextFor(500_000, lossy: false));
        Assert.Equal(0, schedule.FailedBps);
    }

    [Fact]
    public void Finished_PausedVideoRefusals_SpacingStaysShort_AndWaitsForTheResumeBackoff()
    {
        var schedule = new ProbeSchedule();
        var t = 100 * Second;
        schedule.Finished(t, got: false, 300_000, ProbeSpacing.Paused);
        schedule.Finished(t, got: false, 300_000, ProbeSpacing.Paused);
        Assert.Equal(t + ProbeSchedule.PausedMaxBackoff, schedule.NextFor(300_000, lossy: true));

        schedule.Finished(t, got: false, 300_000, ProbeSpacing.Paused, notBefore: t + (7 * Second));
        Assert.Equal(t + (7 * Second), schedule.NextFor(300_000, lossy: true));
    }

    [Fact]
    public void Finished_StepUpRefusedOnALossyLink_WaitsAtLeast20Seconds_DoublingTo60()
    {
        // The 300 kbit/s + 5 % loss link: each refused probe to `h` delayed the audio behind its overshoot (1.85 % of a
        // 30 s window concealed after two of them, 20 s apart). On such a link the spacing starts where the step-up cap is.
        var schedule = new ProbeSchedule();
        var t = 100 * Second;
        var waits = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            schedule.Finished(t, got: false, 520_000, ProbeSpacing.LossyStepUp);
            waits.Add((schedule.NextFor(520_000, lossy: true) - t) / Second);
        }
        Assert.Equal([20L, 40, 60, 60], waits);
        Assert.True(schedule.LossyBackoff);
    }

    [Fact]
    public void NextFor_TheLossyLinkStoppedLosing_TheLongBackoffShrinksToAStepUps()
    {
        var schedule = new ProbeSchedule();
        var t = 100 * Second;
        for (var i = 0; i < 3; i++)
        {
            schedule.Finished(t, got: false, 520_000, ProbeSpacing.LossyStepUp);
        }
        Assert.Equal(t + ProbeSchedule.LossyMaxBackoff, schedule.NextFor(520_000, lossy: true));
        // The loss went away (a cleaner link may also be a wider one): at most the ordinary step-up wait.
        Assert.Equal(t + ProbeSchedule.StepUpMaxBackoff, schedule.NextFor(520_000, lossy: false));
    }

    [Fact]
    public void NextFor_AClearlyLowerNeedThanTheFailedProbe_FollowsAtTheSuccessSpacing()
    {
        var schedule = new ProbeSchedule();
        var t = 100 * Second;
        schedule.Finished(t, got: false, 1_500_000, ProbeSpacing.StepUp);
        schedule.Finished(t, got: false, 1_500_000, ProbeSpacing.StepUp);
        Assert.Equal(t + (8 * Second), schedule.NextFor(1_400_000, lossy: false));
        // The slot fell a layer: the next step needs far less than the probe that failed.
        Assert.Equal(t + ProbeSchedule.SuccessSpacing, schedule.NextFor(700_000, lossy: false));
    }

    [Fact]
    public void Settled_TheFeedbackReportedTheProbesLastPacket_TakenAtOnce_ElseAfterTheMaximum()
    {
        var schedule = new ProbeSchedule();
        var t = 100 * Second;
        schedule.StopSending(t, lastSequence: 1_000);
        Assert.True(schedule.Settling);

        Assert.False(schedule.Settled(t + Second / 10, highestReported: 999));
        Assert.True(schedule.Settled(t + Second / 5, highestReported: 1_000));
        Assert.Equal(1, schedule.SettledOnFeedback);
        schedule.Finished(t + Second / 5, got: true, 400_000, ProbeSpacing.StepUp);
        Assert.False(schedule.Settling);

        // No feedback (an outage): the result is taken after the maximum wait, as before.
        schedule.StopSending(t, lastSequence: 2_000);
        Assert.False(schedule.Settled(t + ProbeSchedule.MaxSettle - 1, highestReported: 1_500));
        Assert.True(schedule.Settled(t + ProbeSchedule.MaxSettle, highestReported: 1_500));
        Assert.Equal(1, schedule.SettledOnFeedback);
    }
}
