using System.Buffers.Binary;
using System.Net;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Rtcp;
using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Tests.Sfu;

/// <summary>NACK handling through a real MediaServer with synthetic ICE/DTLS/SRTP peers on loopback.</summary>
public sealed class NackTests : IDisposable
{
    private const uint VideoSsrc = 0x2222_0002;
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate("nack-test");
    private readonly MediaServer _server = new(new MediaServerOptions
    {
        BindAddress = IPAddress.Loopback,
        AdvertisedAddresses = [IPAddress.Loopback],
        VideoCodec = VideoCodecPreference.Vp8,
        RetransmissionCacheSize = 16,
    });
    private readonly SyntheticPeer _publisher;
    private readonly SyntheticPeer _subscriber;
    private readonly byte[] _buffer = new byte[1600];

    public NackTests()
    {
        var room = _server.CreateRoom("r");
        room.AutoRoute = true;
        _publisher = new SyntheticPeer(_certificate, _server.LocalEndPoint, 16) { KeepPackets = true };
        _publisher.Connect(room.Negotiate("pub", _publisher.Offer(true, 0x2222_0001, VideoSsrc, 0x2222_0003)), SrtpProtectionProfileId.AeadAes128Gcm);
        _subscriber = new SyntheticPeer(_certificate, _server.LocalEndPoint, 1024) { KeepPackets = true };
        _subscriber.Connect(room.Negotiate("sub", _subscriber.Offer(false, 0, 0, 0)), SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(WaitUntil(() => room.GetStats().All(s => s.State == "connected")));
    }

    [Fact]
    public void Nack_PacketInTheCache_IsResentWithTheSameRewrittenSequenceAndPayload()
    {
        // The 13th packet (payload filled with 12) is lost between the SFU and the subscriber.
        _subscriber.DropRtpPacketNumber = 13;
        SendVideo(1000, 20);
        Assert.True(WaitUntil(() => _subscriber.RtpLog.Count >= 19), $"{_subscriber.RtpLog.Count} forwarded; {_server.Diagnostics()}");
        var forwarded = _subscriber.RtpLog.ToArray();
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(forwarded[0], out var firstHeader));
        var missing = (ushort)(firstHeader.SequenceNumber + 12);
        Assert.DoesNotContain(forwarded, p => BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2)) == missing);

        SendNack(firstHeader.Ssrc, [missing]);

        Assert.True(WaitUntil(() => _subscriber.RtpLog.Count >= 20), "no retransmission");
        var resent = _subscriber.RtpLog.ToArray()[19];
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(resent, out var resentHeader));
        Assert.Equal(missing, resentHeader.SequenceNumber);
        Assert.Equal(firstHeader.Ssrc, resentHeader.Ssrc);
        Assert.Equal(firstHeader.Timestamp + 12u * 3000, resentHeader.Timestamp);
        Assert.Equal(12, resent[resentHeader.PayloadOffset + 5]);
    }

    [Fact]
    public void Nack_PacketReceivedButEvicted_IsDropped_PacketNeverReceived_IsForwardedToThePublisherWithItsOwnSequence()
    {
        // Index 30 (seq 5030) never leaves the publisher; the rest arrive.
        SendVideo(5000, 40, skip: 30);
        Assert.True(WaitUntil(() => _subscriber.RtpLog.Count >= 39));
        var first = _subscriber.RtpLog.ToArray()[0];
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(first, out var header));

        // The cache holds 16 packets: the first of 40 is gone from it, but the SFU did receive it, so the publisher is
        // not asked for it (one subscriber's link must not cost the publisher); the one the SFU never got is asked for.
        SendNack(header.Ssrc, [header.SequenceNumber, (ushort)(header.SequenceNumber + 30)]);

        Assert.True(WaitUntil(() => _publisher.RtcpLog.Any(p => IsNackFor(p, VideoSsrc, 5030))), "no NACK reached the publisher");
        Assert.DoesNotContain(_publisher.RtcpLog, p => IsNackFor(p, VideoSsrc, 5000));
    }

    private static bool IsNackFor(byte[] compound, uint mediaSsrc, ushort seq)
    {
        var lost = new ushort[64];
        foreach (var item in new RtcpCompoundEnumerator(compound))
        {
            var p = item.Slice((ReadOnlySpan<byte>)compound);
            if (RtcpFeedbackHeader.TryParse(p, out var fb) && fb.IsNack && fb.MediaSsrc == mediaSsrc)
            {
                var n = RtcpNack.Expand(fb.Fci(p), lost);
                if (lost.AsSpan(0, n).Contains(seq))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private void SendVideo(ushort firstSeq, int count, int skip = -1)
    {
        for (var i = 0; i < count; i++)
        {
            if (i != skip)
            {
                _publisher.SendRtp(_buffer, Loss.ThreePeerRoom.WriteVideo(_buffer, firstSeq, i, VideoSsrc));
            }
        }
    }

    private void SendNack(uint mediaSsrc, ushort[] seqs)
    {
        var length = RtcpWriter.WriteNack(_buffer, 0x3333_0001, mediaSsrc, seqs);
        _subscriber.SendRtcp(_buffer, length);
    }

    private static bool WaitUntil(Func<bool> condition) => Loss.ThreePeerRoom.WaitUntil(condition, 5);

    public void Dispose()
    {
        _publisher.Dispose();
        _subscriber.Dispose();
        _server.Dispose();
    }
}
