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

    [Fact]
    public void TryGet_AcrossManySequenceCycles_HitsTheNewestAndNeverAnEarlierCycle()
    {
        var cache = new PacketCache(512);
        for (var i = 0; i < 140_000; i++)
        {
            cache.Add((ushort)(60_000 + i), [(byte)(i & 0xFF), (byte)(i >> 8), (byte)(i >> 16)]);
        }
        var newest = 139_999;
        Assert.True(cache.TryGet((ushort)(60_000 + newest - 10), out var p));
        Assert.Equal(newest - 10, p[0] | (p[1] << 8) | (p[2] << 16));
        // Older than the ring: a miss, not the packet of the same 16-bit number from a cycle before.
        Assert.False(cache.TryGet((ushort)(60_000 + newest - 600), out _));
        // Not sent yet.
        Assert.False(cache.TryGet((ushort)(60_000 + newest + 1), out _));
    }

    [Fact]
    public void Add_LatePacketOlderThanTheRingAfterAWrap_KeepsTheNewerPacketInItsSlot()
    {
        var cache = new PacketCache(256);
        for (var i = 0; i < 1000; i++)
        {
            cache.Add((ushort)(65_400 + i), [(byte)i, (byte)(i >> 8)]);
        }
        // A retransmission of the packet 700 behind (sent before the wrap) arrives late; its slot holds the packet 512 later.
        var late = unchecked((ushort)(65_400 + 999 - 700));
        cache.Add(late, [0xEE, 0xEE]);
        var newer = (ushort)(late + 512);
        Assert.True(cache.TryGet(newer, out var p), "the newer packet in the late one's slot was overwritten");
        Assert.Equal(999 - 700 + 512, p[0] | (p[1] << 8));
        Assert.False(cache.TryGet(late, out _));
    }
}
