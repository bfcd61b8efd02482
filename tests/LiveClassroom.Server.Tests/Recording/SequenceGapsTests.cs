using LiveClassroom.Server.Recording;

namespace LiveClassroom.Server.Tests.Recording;

public sealed class SequenceGapsTests
{
    private const long MaxDelay = 3000;

    [Fact]
    public void InOrder_NothingOpen_DrainsNow()
    {
        var gaps = new SequenceGaps(MaxDelay);
        for (var i = 0; i < 100; i++)
        {
            gaps.Observe((ushort)(65500 + i), 1000 + i);
        }

        Assert.Equal(0, gaps.Open);
        Assert.Equal(5000, gaps.DrainDeadline(5000));
    }

    [Fact]
    public void LostPacket_DrainsAtTheMaxDelayAfterThePacketBehindIt()
    {
        var gaps = new SequenceGaps(MaxDelay);
        gaps.Observe(10, 1000);
        gaps.Observe(12, 1040);
        gaps.Observe(13, 1080);

        Assert.Equal(1, gaps.Open);
        Assert.Equal(1040 + MaxDelay, gaps.DrainDeadline(1100));
        // Once ffmpeg has given it up, nothing is awaited.
        Assert.Equal(5000, gaps.DrainDeadline(5000));
    }

    [Fact]
    public void Retransmission_ClosesItsGap_AcrossTheSequenceWrap()
    {
        var gaps = new SequenceGaps(MaxDelay);
        gaps.Observe(65534, 1000);
        gaps.Observe(1, 1020); // 65535 and 0 missing
        Assert.Equal(2, gaps.Open);

        gaps.Observe(0, 1300);
        gaps.Observe(65535, 1310);

        Assert.Equal(0, gaps.Open);
        Assert.Equal(1400, gaps.DrainDeadline(1400));
    }

    [Fact]
    public void NewestOpenGap_SetsTheDeadline_OldGivenUpGapsAreForgotten()
    {
        var gaps = new SequenceGaps(MaxDelay);
        gaps.Observe(1, 0);
        gaps.Observe(3, 100); // 2 lost at 100
        gaps.Observe(6, 4000); // 4, 5 lost at 4000; 2 was given up at 3100

        Assert.Equal(2, gaps.Open);
        Assert.Equal(4000 + MaxDelay, gaps.DrainDeadline(4100));
    }

    [Fact]
    public void RestartedStream_BigJump_AwaitsNothing()
    {
        var gaps = new SequenceGaps(MaxDelay);
        gaps.Observe(100, 0);
        gaps.Observe(102, 10);
        gaps.Observe(30000, 20);

        Assert.Equal(0, gaps.Open);
        Assert.Equal(50, gaps.DrainDeadline(50));
        // Duplicates and old packets change nothing.
        gaps.Observe(30000, 30);
        gaps.Observe(29000, 40);
        Assert.Equal(0, gaps.Open);
    }

    [Fact]
    public void HeavyLoss_KeepsABoundedListOfTheNewestGaps()
    {
        var gaps = new SequenceGaps(MaxDelay);
        ushort seq = 0;
        gaps.Observe(seq, 0);
        for (var i = 0; i < 2000; i++)
        {
            seq += 3;
            gaps.Observe(seq, 100 + i);
        }

        Assert.Equal(SequenceGaps.MaxOpen, gaps.Open);
        Assert.Equal(100 + 1999 + MaxDelay, gaps.DrainDeadline(2200));
    }
}
