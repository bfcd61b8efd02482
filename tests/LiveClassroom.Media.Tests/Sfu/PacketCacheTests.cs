using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media.Tests.Sfu;

public sealed class PacketCacheTests
{
    [Fact]
    public void TryGet_StoredPacket_ReturnsItsBytes()
    {
        var cache = new PacketCache(8);
        cache.Add(65535, [1, 2, 3]);
        cache.Add(0, [4, 5]);

        Assert.True(cache.TryGet(65535, out var a));
        Assert.Equal([1, 2, 3], a.ToArray());
        Assert.True(cache.TryGet(0, out var b));
        Assert.Equal([4, 5], b.ToArray());
    }

    [Fact]
    public void TryGet_SlotOverwrittenByANewerPacket_Misses()
    {
        var cache = new PacketCache(8);
        cache.Add(3, [3]);
        cache.Add(11, [11]);

        Assert.False(cache.TryGet(3, out _));
        Assert.True(cache.TryGet(11, out var p));
        Assert.Equal(11, p[0]);
        Assert.Equal(1, cache.Misses);
    }

    [Fact]
    public void TryGet_NeverStored_Misses()
    {
        var cache = new PacketCache(16);
        Assert.False(cache.TryGet(0, out _));
    }

    [Fact]
    public void Constructor_CapacityNotAPowerOfTwo_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketCache(100));
    }

    [Fact]
    public void Add_OversizedPacket_IsNotStored()
    {
        var cache = new PacketCache(4);
        cache.Add(1, new byte[PacketCache.MaxPacketSize + 1]);
        Assert.False(cache.TryGet(1, out _));
    }
}
