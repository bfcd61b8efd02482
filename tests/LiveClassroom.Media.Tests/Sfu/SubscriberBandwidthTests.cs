using LiveClassroom.Media.Bwe;
using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media.Tests.Sfu;

/// <summary>
/// The send history read back against transport-wide feedback: a packet reported missing and then received (Chrome
/// re-reports a packet that arrived after a later one) is taken back from the loss.
/// </summary>
public sealed class SubscriberBandwidthTests
{
    [Fact]
    public void TryTake_ReportedMissingThenReceived_TakenAgainAsLate_ThenNeverAgain()
    {
        var bandwidth = new SubscriberBandwidth(800_000);
        bandwidth.OnSent(1_000, 1_200);

        Assert.True(bandwidth.TryTake(0, received: false, out _, out _, out _, out var late));
        Assert.False(late);
        Assert.False(bandwidth.TryTake(0, received: false, out _, out _, out _, out _));
        Assert.True(bandwidth.TryTake(0, received: true, out var sendUs, out var size, out _, out late));
        Assert.True(late);
        Assert.Equal((1_000, 1_200), (sendUs, size));
        Assert.False(bandwidth.TryTake(0, received: true, out _, out _, out _, out _));
        Assert.False(bandwidth.TryTake(0, received: false, out _, out _, out _, out _));
    }

    [Fact]
    public void TryTake_HighestReported_FollowsTheFeedbackAcrossTheSixteenBitWrap_ReceivedOrLost()
    {
        // A settling probe's result is taken once the feedback has reported its last packet (ProbeSchedule.Settled).
        var bandwidth = new SubscriberBandwidth(800_000);
        Assert.Equal(-1, bandwidth.HighestReported);
        for (var i = 0; i < 70_000; i++)
        {
            bandwidth.OnSent(i, 1_000);
            if (i % 1_000 == 999)
            {
                // Reported missing counts as reported; an older packet reported later does not move it back.
                Assert.True(bandwidth.TryTake((ushort)i, received: false, out _, out _, out _, out _));
                Assert.True(bandwidth.TryTake((ushort)(i - 5), received: true, out _, out _, out _, out _));
                Assert.Equal(i, bandwidth.HighestReported);
            }
        }
        Assert.Equal(69_999, bandwidth.HighestReported);
    }

    [Fact]
    public void Feedback_EveryTenthPacketArrivesAfterTheNext_FeedbackSaysMissingThenReceived_NoLossCounted()
    {
        // 600 kbit/s on a wide, lossless path where every tenth packet is overtaken by the next one across a feedback
        // boundary: Chrome reports it missing, then received in its next feedback. Counted as lost, that was 10 % loss —
        // the 20–37 % transport-cc "loss" of a clean loopback projector whose getStats lost nothing.
        var bandwidth = new SubscriberBandwidth(800_000);
        var estimator = bandwidth.Estimator;
        var results = new List<PacketResult>();
        var late = new List<ushort>();
        var sent = new List<(ushort Seq, long SendUs)>();
        for (var batch = 0; batch < 100; batch++)
        {
            results.Clear();
            // The ones reported missing last time arrive now.
            foreach (var seq in late)
            {
                Assert.True(bandwidth.TryTake(seq, received: true, out var s, out var size, out var cluster, out var wasLate));
                results.Add(new PacketResult(s, s + 40_000, size, cluster, wasLate));
            }
            late.Clear();
            for (var i = 0; i < 8; i++)
            {
                var seq = (ushort)bandwidth.NextSequence;
                var sendUs = (batch * 100_000L) + (i * 12_500L);
                bandwidth.OnSent(sendUs, 1_000);
                var missing = (seq % 10) == 9 && i < 7;
                Assert.True(bandwidth.TryTake(seq, received: !missing, out var s, out var size, out var cluster, out _));
                results.Add(new PacketResult(s, missing ? -1 : s + 40_000, size, cluster));
                if (missing)
                {
                    late.Add(seq);
                }
            }
            estimator.OnFeedback(results.ToArray(), batch * 100.0, 100);
        }

        Assert.True(estimator.LossFraction < 0.02, $"loss {estimator.LossFraction:P1}");
        Assert.Equal(0, estimator.LossCuts);
    }
}
