using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media.Tests.Sfu;

/// <summary>The retransmission cache allocates lazily and never holds more than its byte budget (issue #12, item 2).</summary>
public sealed class PacketCacheBudgetTests
{
    [Fact]
    public void NewCache_BeforeAnyPacket_AllocatesNothing()
    {
        var cache = new PacketCache(512, 256 * 1024);

        Assert.Equal(0, cache.AllocatedBytes);
        Assert.False(cache.TryGet(1, out _));
    }

    [Fact]
    public void SmallPackets_FillOnlyTheChunksTheyReach()
    {
        var cache = new PacketCache(512, 256 * 1024);

        for (var i = 0; i < 100; i++)
        {
            cache.Add((ushort)i, new byte[100]);
        }

        // 100 × 100 B fit one chunk; the slot index is the rest.
        Assert.Equal(PacketCache.ChunkSize + 512 * 20, cache.AllocatedBytes);
        Assert.True(cache.TryGet(0, out var first));
        Assert.Equal(100, first.Length);
    }

    [Fact]
    public void FullSizePackets_BeyondTheBudget_StayWithinItAndOldOnesAreGone()
    {
        var cache = new PacketCache(512, 64 * 1024);
        var packet = new byte[1200];

        for (var i = 0; i < 512; i++)
        {
            packet[0] = (byte)i;
            cache.Add((ushort)i, packet);
        }

        Assert.Equal(64 * 1024 + 512 * 20, cache.AllocatedBytes);
        // 64 KiB hold 54 packets of 1,200 B (27 per 32 KiB chunk): the newest are there, byte for byte, the oldest are not.
        Assert.True(cache.TryGet(511, out var newest));
        Assert.Equal(511 & 0xFF, newest[0]);
        Assert.Equal(1200, newest.Length);
        Assert.True(cache.TryGet(511 - 26, out var older));
        Assert.Equal((511 - 26) & 0xFF, older[0]);
        Assert.False(cache.TryGet(0, out _));
        Assert.False(cache.TryGet(400, out _));
    }

    [Fact]
    public void PacketsOfMixedSizes_AreReturnedIntactAfterTheRingWraps()
    {
        var cache = new PacketCache(64, 32 * 1024);
        for (var i = 0; i < 300; i++)
        {
            var packet = new byte[50 + (i * 37 % 1400)];
            Array.Fill(packet, (byte)i);
            cache.Add((ushort)i, packet);
        }

        for (var i = 290; i < 300; i++)
        {
            Assert.True(cache.TryGet((ushort)i, out var p), $"packet {i}");
            Assert.Equal(50 + (i * 37 % 1400), p.Length);
            Assert.All(p.ToArray(), b => Assert.Equal((byte)i, b));
        }
    }
}
