using LiveClassroom.Media.Rtcp;

namespace LiveClassroom.Media.Tests.Rtcp;

public sealed class RtpReceiveStatisticsTests
{
    private const int Clock = 90000;

    [Fact]
    public void CreateReportBlock_TenOfHundredLost_ReportsFractionAndCumulative()
    {
        var stats = new RtpReceiveStatistics(7, Clock);
        for (var i = 0; i < 100; i++)
        {
            if (i % 10 == 5)
            {
                continue;
            }
            stats.OnPacket((ushort)(1000 + i), (uint)(i * 3000), i * 33_333L);
        }

        var block = stats.CreateReportBlock(4_000_000);

        Assert.Equal(7u, block.Ssrc);
        Assert.Equal(10, block.CumulativeLost);
        Assert.Equal(25, block.FractionLost); // 10/100 * 256 = 25.6, floored
        Assert.Equal(1099u, block.ExtendedHighestSequence);
        Assert.Equal(0u, block.LastSenderReport);
    }

    [Fact]
    public void CreateReportBlock_SecondInterval_CountsOnlyNewLosses()
    {
        var stats = new RtpReceiveStatistics(1, Clock);
        for (var i = 0; i < 50; i++)
        {
            stats.OnPacket((ushort)i, (uint)(i * 3000), i * 33_333L);
        }
        stats.CreateReportBlock(2_000_000);

        for (var i = 50; i < 100; i += 2)
        {
            stats.OnPacket((ushort)i, (uint)(i * 3000), i * 33_333L);
        }
        var block = stats.CreateReportBlock(4_000_000);

        Assert.Equal(125, block.FractionLost); // 24 of 49 expected in the interval: 24 * 256 / 49
        Assert.Equal(24, block.CumulativeLost);
    }

    [Fact]
    public void OnPacket_AcrossSequenceWrap_ExtendsHighestSequence()
    {
        var stats = new RtpReceiveStatistics(1, Clock);
        for (var i = 0; i < 20; i++)
        {
            stats.OnPacket((ushort)(65530 + i), (uint)(i * 3000), i * 33_333L);
        }

        Assert.Equal(65536u + 13, stats.ExtendedHighestSequence);
        Assert.Equal(0, stats.CumulativeLost);
    }

    [Fact]
    public void OnPacket_LargeJumpConfirmedByNextPacket_Restarts()
    {
        var stats = new RtpReceiveStatistics(1, Clock);
        stats.OnPacket(100, 0, 0);
        stats.OnPacket(101, 3000, 33_333);

        Assert.False(stats.OnPacket(40000, 6000, 66_666));
        Assert.True(stats.OnPacket(40001, 9000, 99_999));

        Assert.Equal(40001u, stats.ExtendedHighestSequence);
        Assert.Equal(1, stats.PacketsReceived);
        Assert.Equal(0, stats.CumulativeLost);
    }

    [Fact]
    public void Jitter_SteadyArrivals_IsZeroAndVaryingArrivals_IsPositive()
    {
        var steady = new RtpReceiveStatistics(1, Clock);
        var shaky = new RtpReceiveStatistics(2, Clock);
        for (var i = 0; i < 200; i++)
        {
            steady.OnPacket((ushort)i, (uint)(i * 3000), i * 33_333L + 1);
            shaky.OnPacket((ushort)i, (uint)(i * 3000), (i * 33_333L) + (i % 2 == 0 ? 0 : 10_000));
        }

        Assert.InRange(steady.Jitter, 0u, 1u);
        Assert.InRange(shaky.Jitter, 800u, 1000u); // |D| = 900 ticks (10 ms at 90 kHz) each packet
    }

    [Fact]
    public void CreateReportBlock_AfterSenderReport_CarriesLsrAndDlsr()
    {
        var stats = new RtpReceiveStatistics(1, Clock);
        stats.OnPacket(1, 0, 0);
        stats.OnSenderReport(0x0001_0002_0003_0004, 1_000_000);

        var block = stats.CreateReportBlock(1_500_000);

        Assert.Equal(0x0002_0003u, block.LastSenderReport);
        Assert.Equal(32768u, block.DelaySinceLastSenderReport); // 0.5 s in 1/65536 s
    }
}
