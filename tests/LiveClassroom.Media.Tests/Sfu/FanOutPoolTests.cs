using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media.Tests.Sfu;

public sealed class FanOutPoolTests
{
    /// <summary>Counts how often each chunk ran.</summary>
    private sealed class CountingJob(int chunks) : IFanOutJob
    {
        public int[] Runs { get; } = new int[chunks];

        public void RunChunk(int chunk) => Interlocked.Increment(ref Runs[chunk]);
    }

    [Fact]
    public void TryRun_WithLanes_RunsEveryChunkExactlyOnce()
    {
        using var pool = new FanOutPool(lanes: 3);
        for (var job = 0; job < 200; job++)
        {
            var counting = new CountingJob(37);

            Assert.True(pool.TryRun(counting, 37));

            Assert.All(counting.Runs, runs => Assert.Equal(1, runs));
        }
        Assert.Equal(200, pool.Jobs);
    }

    [Fact]
    public void TryRun_NoLanes_ReturnsFalseAndRunsNothing()
    {
        using var pool = new FanOutPool(lanes: 0);
        var counting = new CountingJob(4);

        Assert.False(pool.TryRun(counting, 4));

        Assert.All(counting.Runs, runs => Assert.Equal(0, runs));
    }

    [Fact]
    public void TryRun_TwoCallersAtOnce_EachJobRunsCompletelyOrNotAtAll()
    {
        using var pool = new FanOutPool(lanes: 2);
        var refused = 0;
        var ran = 0;
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            var counting = new CountingJob(16);
            if (pool.TryRun(counting, 16))
            {
                Assert.All(counting.Runs, runs => Assert.Equal(1, runs));
                Interlocked.Increment(ref ran);
            }
            else
            {
                // Refused: the caller runs it inline; nothing of it ran on the pool.
                Assert.All(counting.Runs, runs => Assert.Equal(0, runs));
                Interlocked.Increment(ref refused);
            }
        });
        Assert.Equal(400, ran + refused);
        Assert.Equal(ran, pool.Jobs);
    }

    [Fact]
    public void TryRun_ChunkThrows_OtherChunksStillRunAndTheCallerReturns()
    {
        using var pool = new FanOutPool(lanes: 1);
        var runs = new int[8];
        var job = new ThrowingJob(runs, throwOn: 3);

        Assert.True(pool.TryRun(job, 8));

        Assert.Equal(7, runs.Sum());
        Assert.Equal(0, runs[3]);
    }

    private sealed class ThrowingJob(int[] runs, int throwOn) : IFanOutJob
    {
        public void RunChunk(int chunk)
        {
            if (chunk == throwOn)
            {
                throw new InvalidOperationException("a subscriber's bug");
            }
            Interlocked.Increment(ref runs[chunk]);
        }
    }
}
