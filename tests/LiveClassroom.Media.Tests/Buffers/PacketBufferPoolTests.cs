using LiveClassroom.Media.Buffers;

namespace LiveClassroom.Media.Tests.Buffers;

public sealed class PacketBufferPoolTests
{
    [Fact]
    public void TryRent_BeyondCapacity_FailsAndCountsExhaustion()
    {
        var pool = new PacketBufferPool(4, 1500);
        var rented = new List<byte[]>();
        for (var i = 0; i < 4; i++)
        {
            Assert.True(pool.TryRent(out var b));
            rented.Add(b);
        }

        Assert.False(pool.TryRent(out _));
        Assert.False(pool.TryRent(out _));

        Assert.Equal(2, pool.Exhausted);
        Assert.Equal(4, pool.InUse);
        Assert.Equal(4, rented.Distinct().Count());
    }

    [Fact]
    public void Return_ForeignOrSurplusArrays_AreRefusedSoPoolNeverGrows()
    {
        var pool = new PacketBufferPool(2, 1500);
        Assert.True(pool.TryRent(out var a));

        Assert.True(pool.Return(a));
        Assert.False(pool.Return(new byte[1500])); // would exceed capacity
        Assert.False(pool.Return(new byte[2048])); // wrong size

        Assert.Equal(2, pool.Available);
        Assert.Equal(2, pool.RejectedReturns);
        Assert.True(pool.TryRent(out _));
        Assert.True(pool.TryRent(out _));
        Assert.False(pool.TryRent(out _));
    }

    [Fact]
    public void RentReturn_FromManyThreads_KeepsCountWithinCapacity()
    {
        var pool = new PacketBufferPool(8, 256);
        var maxInUse = 0;
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                if (pool.TryRent(out var b))
                {
                    var inUse = pool.InUse;
                    InterlockedMax(ref maxInUse, inUse);
                    pool.Return(b);
                }
            }
        });

        Assert.Equal(8, pool.Available);
        Assert.InRange(maxInUse, 1, 8);
        Assert.Equal(0, pool.RejectedReturns);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
