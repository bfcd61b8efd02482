using LiveClassroom.Media.Rtcp;
using LiveClassroom.Media.Rtp;
using LiveClassroom.Media.Tests.Sfu.Loss;

namespace LiveClassroom.Media.Tests.Sfu;

/// <summary>
/// What a subscriber's receiver report says about the stream the SFU sends it (RFC 3550 §6.4.1) shows in its stats:
/// fraction lost and interarrival jitter, the jitter turned from RTP timestamp units into milliseconds by the slot's clock
/// (the network dashboard's jitter column).
/// </summary>
public sealed class ReceiverReportStatsTests
{
    [Fact]
    public void ReceiverReport_FromASubscriber_ItsJitterAndLossShowInItsStats()
    {
        using var room = new ThreePeerRoom(ThreePeerRoom.Options());
        room.SendVideo(1000, 5);
        Assert.True(ThreePeerRoom.WaitUntil(() => ThreePeerRoom.Video(room.A).Length >= 5), room.Server.Diagnostics());
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(ThreePeerRoom.Video(room.A)[0], out var forwarded));
        Assert.Equal(0, room.Stats("a").JitterMs);

        // 1,800 units of the 90 kHz video clock = 20 ms; fraction lost 64/256 = 25 %.
        var buffer = new byte[256];
        var length = RtcpWriter.WriteReceiverReport(buffer, 0x3300_0001, [new RtcpReportBlock(forwarded.Ssrc, 64, 2, forwarded.SequenceNumber, 1800, 0, 0)]);
        room.A.SendRtcp(buffer, length);

        Assert.True(ThreePeerRoom.WaitUntil(() => room.Stats("a").JitterMs > 0), room.Server.Diagnostics());
        Assert.Equal(20, room.Stats("a").JitterMs, 6);
        // Averaged over the subscriber's routed slots (audio too), so only its presence is certain here.
        Assert.True(room.Stats("a").OutboundLossFraction > 0);
        Assert.Equal(0, room.Stats("b").JitterMs);
    }

    [Fact]
    public void FirstProtectedPacket_FromASubscriber_EndsItsDtlsLinger()
    {
        using var room = new ThreePeerRoom(ThreePeerRoom.Options());
        Assert.True(room.Stats("a").DtlsLingering);
        Assert.True(room.Stats("b").DtlsLingering);

        var buffer = new byte[256];
        var length = RtcpWriter.WriteReceiverReport(buffer, 0x3300_0001, []);
        room.A.SendRtcp(buffer, length);

        // SRTCP that authenticates proves A finished the handshake: its DTLS thread ends; B, silent, still lingers.
        Assert.True(ThreePeerRoom.WaitUntil(() => !room.Stats("a").DtlsLingering), room.Server.Diagnostics());
        Assert.Equal("connected", room.Stats("a").State);
        Assert.True(room.Stats("b").DtlsLingering);
    }
}
