using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media.Tests.Sfu.Layers;

public sealed class ResumeBackoffTests
{
    private static readonly long Second = TimeSpan.FromSeconds(1).Ticks;

    [Fact]
    public void Refused_TriesKeepFailing_WaitDoublesUpToTheCap()
    {
        var backoff = new ResumeBackoff();
        var t = 100 * Second;
        Assert.True(backoff.MayTry(t));

        backoff.Refused(t);
        Assert.Equal(t + ResumeBackoff.FirstBackoff, backoff.NextTryTicks);
        Assert.False(backoff.MayTry(t + ResumeBackoff.FirstBackoff - 1));
        Assert.True(backoff.MayTry(t + ResumeBackoff.FirstBackoff));

        backoff.Refused(t);
        Assert.Equal(t + (2 * ResumeBackoff.FirstBackoff), backoff.NextTryTicks);
        // 2, 4, then the cap (5 s): the wait is also how long video stays away after the link comes back.
        backoff.Refused(t);
        Assert.Equal(t + ResumeBackoff.MaxBackoff, backoff.NextTryTicks);
        for (var i = 0; i < 20; i++)
        {
            backoff.Refused(t);
        }
        Assert.Equal(t + ResumeBackoff.MaxBackoff, backoff.NextTryTicks);
        Assert.Equal(23, backoff.Failures);
    }

    [Fact]
    public void Paused_WithinTheFailWindowOfAResume_CountsAsAFailure_LaterNot()
    {
        var backoff = new ResumeBackoff();
        var t = 100 * Second;
        backoff.Resumed(t);
        Assert.True(backoff.OnTrial(t + Second));
        backoff.Paused(t + (3 * Second));
        Assert.Equal(1, backoff.Failures);
        Assert.Equal(t + (3 * Second) + ResumeBackoff.FirstBackoff, backoff.NextTryTicks);

        // A resume that held past the fail window and then paused (the link worsened later) is no failed try.
        var second = t + (20 * Second);
        backoff.Resumed(second);
        backoff.Paused(second + LayerGate.FailWindow + Second);
        Assert.Equal(1, backoff.Failures);
        Assert.False(backoff.OnTrial(second + LayerGate.FailWindow + Second));
    }

    [Fact]
    public void Held_VideoHeldTrustAfterAResume_FailuresForgotten()
    {
        var backoff = new ResumeBackoff();
        var t = 100 * Second;
        backoff.Refused(t);
        backoff.Refused(t + (3 * Second));
        Assert.Equal(2, backoff.Failures);
        var resumed = t + (10 * Second);
        backoff.Resumed(resumed);
        backoff.Held(resumed + LayerGate.TrustAfter - 1);
        Assert.Equal(2, backoff.Failures);
        backoff.Held(resumed + LayerGate.TrustAfter);
        Assert.Equal(0, backoff.Failures);
        Assert.True(backoff.MayTry(resumed + LayerGate.TrustAfter));
        // The next failure starts from the first wait again.
        backoff.Refused(resumed + LayerGate.TrustAfter + Second);
        Assert.Equal(resumed + LayerGate.TrustAfter + Second + ResumeBackoff.FirstBackoff, backoff.NextTryTicks);
    }
}
