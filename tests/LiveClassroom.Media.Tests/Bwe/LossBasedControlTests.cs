using LiveClassroom.Media.Bwe;

namespace LiveClassroom.Media.Tests.Bwe;

/// <summary>The loss-based rate As (draft-ietf-rmcat-gcc-02 §6) and whether it sits where the delay-based cap put it.</summary>
public sealed class LossBasedControlTests
{
    private static LossBasedControl Fed(double delayBps, out double nowMs)
    {
        var control = new LossBasedControl(1_000_000, 30_000, 10_000_000);
        // The first report opens the interval; the one a second later updates As (no loss: +5 %, then the cap).
        control.OnPackets(100, 0, 0, delayBps);
        control.OnPackets(100, 0, 1_000, delayBps);
        nowMs = 1_000;
        return control;
    }

    [Fact]
    public void OnPackets_CappedByDelayThenTheCapRisesFasterThanAsGrows_StillHeldByDelay()
    {
        var control = Fed(60_000, out var now);
        Assert.Equal(120_000, control.EstimateBps);
        Assert.True(control.HeldByDelay);

        // The queue drains a little: the cap (2 × 71 kbps) is now above As, which grows 5 % a second from where the cap
        // left it. Loss put nothing there: still the delay-based side's figure.
        control.OnPackets(100, 0, now += 1_000, 71_000);
        Assert.Equal(126_000, control.EstimateBps, 1);
        Assert.True(control.HeldByDelay, "As grown from a capped value read as loss's own figure");
        control.OnPackets(95, 5, now += 1_000, 71_000);
        Assert.True(control.HeldByDelay, "loss between 2 % and 10 % changes nothing (As unchanged)");
    }

    [Fact]
    public void OnPackets_CutForLossAfterTheCap_NoLongerHeldByDelay_UntilCappedAgain()
    {
        var control = Fed(60_000, out var now);
        Assert.True(control.HeldByDelay);

        // 20 % lost: As = 120k × 0.9, below the cap (2 × 71 kbps): loss put it there.
        control.OnPackets(80, 20, now += 1_000, 71_000);
        Assert.Equal(108_000, control.EstimateBps, 1);
        Assert.False(control.HeldByDelay);
        control.OnPackets(100, 0, now += 1_000, 71_000);
        Assert.False(control.HeldByDelay);

        // The delay-based side falls below half of As: capped again.
        control.OnPackets(100, 0, now += 1_000, 40_000);
        Assert.Equal(80_000, control.EstimateBps);
        Assert.True(control.HeldByDelay);
    }

    [Fact]
    public void Raise_AfterTheCap_AProbesFigureIsNotTheDelayBasedSides()
    {
        var control = Fed(60_000, out _);
        control.Raise(400_000, 0.01);
        Assert.False(control.HeldByDelay);
        Assert.Equal(400_000, control.EstimateBps);
    }
}
