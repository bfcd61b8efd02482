using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media.Tests.Sfu.Layers;

public sealed class LayerGateTests
{
    private static readonly long Second = TimeSpan.FromSeconds(1).Ticks;

    [Fact]
    public void BelowLongEnough_ShortDipThenLongDip_OnlyTheLongOnePauses()
    {
        var gate = new LayerGate();
        var t = 100 * Second;
        Assert.False(gate.BelowLongEnough(true, t));
        Assert.False(gate.BelowLongEnough(true, t + LayerGate.PauseHold - 1));
        // The estimate recovers before the hold: the dip is forgotten.
        Assert.False(gate.BelowLongEnough(false, t + LayerGate.PauseHold - 1));
        Assert.False(gate.BelowLongEnough(true, t + LayerGate.PauseHold));
        Assert.False(gate.BelowLongEnough(true, t + (2 * LayerGate.PauseHold) - 1));
        Assert.True(gate.BelowLongEnough(true, t + (2 * LayerGate.PauseHold)));
    }

    [Fact]
    public void SteppedDown_SoonAfterAStepUp_BlocksTheNextStepForABackoffThatDoubles()
    {
        var gate = new LayerGate();
        var t = 100 * Second;
        Assert.True(gate.MayStepUp(300_000, 200_000, t));
        gate.SteppedUp(t);
        gate.SteppedDown(t + Second);
        Assert.Equal(1, gate.Failures);
        Assert.Equal(t + Second + LayerGate.FirstBackoff, gate.BlockedUntilTicks);
        Assert.False(gate.MayStepUp(300_000, 200_000, t + Second + LayerGate.FirstBackoff - 1));
        Assert.True(gate.MayStepUp(300_000, 200_000, t + Second + LayerGate.FirstBackoff));

        var second = t + Second + LayerGate.FirstBackoff;
        gate.SteppedUp(second);
        gate.SteppedDown(second + Second);
        Assert.Equal(2, gate.Failures);
        Assert.Equal(second + Second + (2 * LayerGate.FirstBackoff), gate.BlockedUntilTicks);
    }

    [Fact]
    public void SteppedDown_AStepUpTakenOnALossyLinkFails_BacksOffLonger()
    {
        // 300 kbps + 5 % loss: the probe through the token bucket lets the estimate allow `h` again and again; each try
        // costs the audio on the same link, so a failed step on a link that was already lossy waits 20 s, then 40, 60.
        var gate = new LayerGate();
        var t = 100 * Second;
        gate.SteppedUp(t, lossyLink: true);
        gate.SteppedDown(t + Second);
        Assert.Equal(t + Second + LayerGate.LossyFirstBackoff, gate.BlockedUntilTicks);
        Assert.False(gate.MayStepUp(300_000, 200_000, t + Second + LayerGate.FirstBackoff));
        Assert.False(gate.MayStepUp(300_000, 200_000, t + (15 * Second)));

        var second = t + Second + LayerGate.LossyFirstBackoff;
        Assert.True(gate.MayStepUp(300_000, 200_000, second));
        gate.SteppedUp(second, lossyLink: true);
        gate.SteppedDown(second + Second);
        Assert.Equal(second + Second + (2 * LayerGate.LossyFirstBackoff), gate.BlockedUntilTicks);
        var third = second + Second + (2 * LayerGate.LossyFirstBackoff);
        gate.SteppedUp(third, lossyLink: true);
        gate.SteppedDown(third + Second);
        Assert.Equal(third + Second + LayerGate.LossyMaxBackoff, gate.BlockedUntilTicks);

        // A step that failed on a link without loss before it keeps the short backoff.
        var clean = new LayerGate();
        clean.SteppedUp(t, lossyLink: false);
        clean.SteppedDown(t + Second);
        Assert.Equal(t + Second + LayerGate.FirstBackoff, clean.BlockedUntilTicks);
    }

    [Fact]
    public void MayStepUp_BlockedButTheEstimateHasClearHeadroom_StepsAnyway()
    {
        var gate = new LayerGate();
        var t = 100 * Second;
        gate.SteppedUp(t);
        gate.SteppedDown(t + Second);
        Assert.False(gate.MayStepUp(200_000 * 2.4, 200_000, t + (2 * Second)));
        Assert.True(gate.MayStepUp(200_000 * LayerGate.ClearHeadroom, 200_000, t + (2 * Second)));
    }

    [Fact]
    public void SteppedDown_LongAfterTheStepUp_IsNoFailure_AndAHeldStepClearsEarlierFailures()
    {
        var gate = new LayerGate();
        var t = 100 * Second;
        gate.SteppedUp(t);
        gate.SteppedDown(t + LayerGate.FailWindow + 1);
        Assert.Equal(0, gate.Failures);
        Assert.Equal(0, gate.BlockedUntilTicks);

        gate.SteppedUp(t + (20 * Second));
        gate.SteppedDown(t + (21 * Second));
        Assert.Equal(1, gate.Failures);
        var again = gate.BlockedUntilTicks;
        gate.SteppedUp(again);
        gate.Held(again + LayerGate.TrustAfter - 1);
        Assert.Equal(1, gate.Failures);
        gate.Held(again + LayerGate.TrustAfter);
        Assert.Equal(0, gate.Failures);
    }

    [Fact]
    public void SteppedDown_ManyFailures_BackoffStopsAtTheMaximum()
    {
        var gate = new LayerGate();
        var t = 100 * Second;
        long blockedFor = 0;
        for (var i = 0; i < 40; i++)
        {
            gate.SteppedUp(t);
            gate.SteppedDown(t + Second);
            blockedFor = gate.BlockedUntilTicks - (t + Second);
            t = gate.BlockedUntilTicks;
        }
        Assert.Equal(40, gate.Failures);
        Assert.Equal(LayerGate.MaxBackoff, blockedFor);
    }
}
