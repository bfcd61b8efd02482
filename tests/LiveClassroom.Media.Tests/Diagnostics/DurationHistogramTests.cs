using System.Diagnostics;
using LiveClassroom.Media.Diagnostics;

namespace LiveClassroom.Media.Tests.Diagnostics;

public sealed class DurationHistogramTests
{
    private static long Micros(double us) => (long)(us * Stopwatch.Frequency / 1_000_000.0);

    [Fact]
    public void Quantile_RecordedDurations_IsTheUpperBoundOfTheBucketHoldingIt()
    {
        var histogram = new DurationHistogram();
        // 98 short holds (100 µs: bucket [64, 128)), one of 3 ms ([2048, 4096)), one of 10 ms ([8192, 16384)).
        for (var i = 0; i < 98; i++)
        {
            histogram.Record(Micros(100));
        }
        histogram.Record(Micros(3_000));
        histogram.Record(Micros(10_000));

        var counts = histogram.Counts();

        Assert.Equal(100, counts.Sum());
        Assert.Equal(128, DurationHistogram.Quantile(counts, 0.5));
        Assert.Equal(4096, DurationHistogram.Quantile(counts, 0.99));
        Assert.Equal(16384, DurationHistogram.Quantile(counts, 1.0));
    }

    [Fact]
    public void Quantile_NothingRecorded_IsNaN() => Assert.True(double.IsNaN(DurationHistogram.Quantile(new DurationHistogram().Counts(), 0.5)));

    [Fact]
    public void TakeMaxMicroseconds_AfterRecords_ReturnsTheLongestThenStartsAgain()
    {
        var histogram = new DurationHistogram();
        histogram.Record(Micros(500));
        histogram.Record(Micros(7_000));
        histogram.Record(Micros(20));

        Assert.InRange(histogram.TakeMaxMicroseconds(), 6_999, 7_001);
        Assert.Equal(0, histogram.TakeMaxMicroseconds());
    }
}
