using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Tests.Transport;

public sealed class PacketClassifierTests
{
    [Theory]
    [InlineData(0, 1, (int)PacketKind.Stun)]
    [InlineData(3, 1, (int)PacketKind.Stun)]
    [InlineData(4, 1, (int)PacketKind.Unknown)]
    [InlineData(16, 1, (int)PacketKind.Zrtp)]
    [InlineData(19, 1, (int)PacketKind.Zrtp)]
    [InlineData(20, 1, (int)PacketKind.Dtls)]
    [InlineData(63, 1, (int)PacketKind.Dtls)]
    [InlineData(64, 1, (int)PacketKind.TurnChannel)]
    [InlineData(79, 1, (int)PacketKind.TurnChannel)]
    [InlineData(80, 1, (int)PacketKind.Unknown)]
    [InlineData(128, 96, (int)PacketKind.Rtp)]
    [InlineData(128, 96 | 0x80, (int)PacketKind.Rtp)]
    [InlineData(128, 191, (int)PacketKind.Rtp)]
    [InlineData(128, 192, (int)PacketKind.Rtcp)]
    [InlineData(129, 200, (int)PacketKind.Rtcp)]
    [InlineData(143, 206, (int)PacketKind.Rtcp)]
    [InlineData(128, 223, (int)PacketKind.Rtcp)]
    [InlineData(191, 0, (int)PacketKind.Rtp)]
    [InlineData(192, 0, (int)PacketKind.Unknown)]
    public void Classify_FirstTwoBytes_FollowsRfc7983AndRfc5761(int first, int second, int expected)
    {
        Assert.Equal((PacketKind)expected, PacketClassifier.Classify([(byte)first, (byte)second]));
    }

    [Fact]
    public void Classify_EmptyOrSingleRtpByte_IsUnknown()
    {
        Assert.Equal(PacketKind.Unknown, PacketClassifier.Classify([]));
        Assert.Equal(PacketKind.Unknown, PacketClassifier.Classify([0x80]));
    }
}
