using LiveClassroom.Media.Srtp;

namespace LiveClassroom.Media.Tests.Srtp;

public sealed class SrtpContextTests
{
    // Profiles as ints: xunit needs public parameter types and the media types are internal.
    public static TheoryData<int> Profiles => [(int)SrtpProfile.AesCm128HmacSha1_80, (int)SrtpProfile.AeadAes128Gcm, (int)SrtpProfile.AeadAes256Gcm];

    private static (SrtpContext Sender, SrtpContext Receiver) Pair(SrtpProfile profile)
    {
        var key = SrtpTestPackets.Key(SrtpProfileInfo.KeyLength(profile), 3);
        var salt = SrtpTestPackets.Key(SrtpProfileInfo.SaltLength(profile), 99);
        return (SrtpContext.Create(profile, key, salt), SrtpContext.Create(profile, key, salt));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void UnprotectRtp_AfterProtect_RestoresPacket(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        var (sender, receiver) = Pair(profile);
        using var s = sender;
        using var r = receiver;
        var buffer = new byte[1500];
        var length = SrtpTestPackets.WriteRtp(buffer, 0x11223344, 1000, 1200);
        var original = buffer.AsSpan(0, length).ToArray();

        Assert.Equal(SrtpStatus.Ok, s.ProtectRtp(buffer, length, out var protectedLength));
        Assert.Equal(length + s.RtpOverhead, protectedLength);
        Assert.NotEqual(original.AsSpan(12, 16).ToArray(), buffer.AsSpan(12, 16).ToArray());
        Assert.Equal(SrtpStatus.Ok, r.UnprotectRtp(buffer.AsSpan(0, protectedLength), out var plainLength));

        Assert.Equal(original, buffer.AsSpan(0, plainLength).ToArray());
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void UnprotectRtcp_AfterProtect_RestoresPacket(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        var (sender, receiver) = Pair(profile);
        using var s = sender;
        using var r = receiver;
        var buffer = new byte[200];
        var length = SrtpTestPackets.WriteReceiverReport(buffer, 0xCAFEBABE);
        buffer[8] = 0x81; // a second packet in the compound, to have a body to encrypt
        buffer[9] = 203;
        buffer[11] = 1;
        buffer.AsSpan(12, 4).Fill(0x55);
        length = 16;
        var original = buffer.AsSpan(0, length).ToArray();

        Assert.Equal(SrtpStatus.Ok, s.ProtectRtcp(buffer, length, out var protectedLength));
        Assert.Equal(SrtpStatus.Ok, r.UnprotectRtcp(buffer.AsSpan(0, protectedLength), out var plainLength));

        Assert.Equal(original, buffer.AsSpan(0, plainLength).ToArray());
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void UnprotectRtp_TamperedPacket_FailsAndLeavesStateUnchanged(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        var (sender, receiver) = Pair(profile);
        using var s = sender;
        using var r = receiver;
        var buffer = new byte[300];
        const uint ssrc = 7;

        // Establish state at seq 65530 (ROC 0), then forge a packet that would roll the counter over.
        var len = SrtpTestPackets.WriteRtp(buffer, ssrc, 65530, 100);
        Assert.Equal(SrtpStatus.Ok, s.ProtectRtp(buffer, len, out var plen));
        Assert.Equal(SrtpStatus.Ok, r.UnprotectRtp(buffer.AsSpan(0, plen), out _));

        len = SrtpTestPackets.WriteRtp(buffer, ssrc, 5, 100);
        Assert.Equal(SrtpStatus.Ok, s.ProtectRtp(buffer, len, out plen));
        var good = buffer.AsSpan(0, plen).ToArray();
        var forged = good.ToArray();
        forged[40] ^= 0x01;

        Assert.Equal(SrtpStatus.AuthenticationFailed, r.UnprotectRtp(forged, out _));
        Assert.Equal(0u, r.GetRolloverCounter(ssrc));
        Assert.Equal(1, r.FailureCount(SrtpStatus.AuthenticationFailed));

        // The genuine packet still authenticates: the forged one consumed neither its index nor the ROC step.
        Assert.Equal(SrtpStatus.Ok, r.UnprotectRtp(good, out _));
        Assert.Equal(1u, r.GetRolloverCounter(ssrc));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void UnprotectRtp_ReplayedPacket_IsRejected(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        var (sender, receiver) = Pair(profile);
        using var s = sender;
        using var r = receiver;
        var buffer = new byte[300];
        var len = SrtpTestPackets.WriteRtp(buffer, 1, 42, 50);
        Assert.Equal(SrtpStatus.Ok, s.ProtectRtp(buffer, len, out var plen));
        var copy = buffer.AsSpan(0, plen).ToArray();

        Assert.Equal(SrtpStatus.Ok, r.UnprotectRtp(buffer.AsSpan(0, plen), out _));
        Assert.Equal(SrtpStatus.Replayed, r.UnprotectRtp(copy, out _));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void UnprotectRtcp_ReplayedOrTampered_IsRejected(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        var (sender, receiver) = Pair(profile);
        using var s = sender;
        using var r = receiver;
        var buffer = new byte[100];
        var len = SrtpTestPackets.WriteReceiverReport(buffer, 9);
        Assert.Equal(SrtpStatus.Ok, s.ProtectRtcp(buffer, len, out var plen));
        var copy = buffer.AsSpan(0, plen).ToArray();
        var forged = copy.ToArray();
        forged[5] ^= 0x80;

        Assert.Equal(SrtpStatus.AuthenticationFailed, r.UnprotectRtcp(forged, out _));
        Assert.Equal(SrtpStatus.Ok, r.UnprotectRtcp(buffer.AsSpan(0, plen), out _));
        Assert.Equal(SrtpStatus.Replayed, r.UnprotectRtcp(copy, out _));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void UnprotectRtp_PacketOlderThanWindow_IsRejectedAsTooOld(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        var (sender, receiver) = Pair(profile);
        using var s = sender;
        using var r = receiver;
        var buffer = new byte[300];
        var len = SrtpTestPackets.WriteRtp(buffer, 1, 10, 20);
        Assert.Equal(SrtpStatus.Ok, s.ProtectRtp(buffer, len, out var plen));
        var old = buffer.AsSpan(0, plen).ToArray();
        len = SrtpTestPackets.WriteRtp(buffer, 1, 10 + SrtpReplayWindow.Size + 5, 20);
        Assert.Equal(SrtpStatus.Ok, s.ProtectRtp(buffer, len, out plen));
        Assert.Equal(SrtpStatus.Ok, r.UnprotectRtp(buffer.AsSpan(0, plen), out _));

        Assert.Equal(SrtpStatus.TooOld, r.UnprotectRtp(old, out _));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void ProtectRtp_BufferWithoutRoomForTag_ReturnsBufferTooSmall(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        var (sender, receiver) = Pair(profile);
        using var s = sender;
        receiver.Dispose();
        var buffer = new byte[112];
        var len = SrtpTestPackets.WriteRtp(buffer, 1, 1, 100);

        Assert.Equal(SrtpStatus.BufferTooSmall, s.ProtectRtp(buffer, len, out _));
    }

    [Fact]
    public void ProtectRtp_MoreSsrcsThanCap_EvictsLeastRecentlyUsed()
    {
        var (sender, receiver) = Pair(SrtpProfile.AeadAes128Gcm);
        using var s = sender;
        using var r = receiver;
        var buffer = new byte[100];
        for (uint ssrc = 1; ssrc <= SrtpContext.MaxStreams + 10; ssrc++)
        {
            var len = SrtpTestPackets.WriteRtp(buffer, ssrc, 1, 20);
            Assert.Equal(SrtpStatus.Ok, s.ProtectRtp(buffer, len, out var plen));
            Assert.Equal(SrtpStatus.Ok, r.UnprotectRtp(buffer.AsSpan(0, plen), out _));
            if (ssrc > 1)
            {
                // Keep SSRC 1 recently used so the eviction takes others.
                len = SrtpTestPackets.WriteRtp(buffer, 1, (ushort)(ssrc), 20);
                Assert.Equal(SrtpStatus.Ok, s.ProtectRtp(buffer, len, out plen));
                Assert.Equal(SrtpStatus.Ok, r.UnprotectRtp(buffer.AsSpan(0, plen), out _));
            }
        }

        Assert.Equal(SrtpContext.MaxStreams, r.StreamCount);
        Assert.NotNull(r.GetRolloverCounter(1));
        Assert.Null(r.GetRolloverCounter(2));
        Assert.True(r.RemoveStream(1));
        Assert.Null(r.GetRolloverCounter(1));
    }
}
