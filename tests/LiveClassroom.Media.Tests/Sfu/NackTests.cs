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

    private const byte RtxPayloadTypeInAnswer = 97;
    private readonly MediaRoom _room;
    private readonly uint _rtxSsrcInAnswer;

    public NackTests()
    {
        var room = _room = _server.CreateRoom("r");
        room.AutoRoute = true;
        _publisher = new SyntheticPeer(_certificate, _server.LocalEndPoint, 16) { KeepPackets = true };
        _publisher.Connect(room.Negotiate("pub", _publisher.Offer(true, 0x2222_0001, VideoSsrc, 0x2222_0003)), SrtpProtectionProfileId.AeadAes128Gcm);
        _subscriber = new SyntheticPeer(_certificate, _server.LocalEndPoint, 1024) { KeepPackets = true };
        var answer = room.Negotiate("sub", _subscriber.Offer(false, 0, 0, 0));
        // a=ssrc-group:FID <video> <rtx>: the RTX stream the SFU will retransmit on.
        var fid = answer.Split("\r\n").Single(l => l.StartsWith("a=ssrc-group:FID ", StringComparison.Ordinal)).Split(' ');
        _rtxSsrcInAnswer = uint.Parse(fid[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"a=rtpmap:{RtxPayloadTypeInAnswer} rtx/90000", answer, StringComparison.Ordinal);
        _subscriber.Connect(answer, SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(WaitUntil(() => room.GetStats().All(s => s.State == "connected")));
    }

    [Fact]
    public void Nack_PacketInTheCache_IsResentOnTheRtxStreamWithTheOriginalSequenceAsOsnAndTheSamePayload()
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

        // RFC 4588 §4: the RTX SSRC and payload type the answer paired with the video (FID group, apt=96), the OSN first.
        Assert.True(WaitUntil(() => _subscriber.RtpLog.Count >= 20), "no retransmission");
        var resent = _subscriber.RtpLog.ToArray()[19];
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(resent, out var resentHeader));
        Assert.Equal(RtxPayloadTypeInAnswer, resentHeader.PayloadType);
        Assert.Equal(_rtxSsrcInAnswer, resentHeader.Ssrc);
        Assert.NotEqual(firstHeader.Ssrc, resentHeader.Ssrc);
        Assert.Equal(missing, BinaryPrimitives.ReadUInt16BigEndian(resent.AsSpan(resentHeader.PayloadOffset)));
        Assert.Equal(firstHeader.Timestamp + 12u * 3000, resentHeader.Timestamp);
        Assert.Equal(firstHeader.PayloadLength + 2, resentHeader.PayloadLength);
        Assert.Equal(12, resent[resentHeader.PayloadOffset + 2 + 5]);

        // A second NACK for it gets a second RTX packet with the next RTX sequence number: never a replay.
        SendNack(firstHeader.Ssrc, [missing]);
        Assert.True(WaitUntil(() => _subscriber.RtpLog.Count >= 21), "no second retransmission");
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(_subscriber.RtpLog.ToArray()[20], out var again));
        Assert.Equal((ushort)(resentHeader.SequenceNumber + 1), again.SequenceNumber);
    }

    [Fact]
    public void Nack_SubscriberWithoutRtx_IsResentOnTheMediaStreamWithTheSameRewrittenSequenceAndPayload()
    {
        using var plain = new SyntheticPeer(_certificate, _server.LocalEndPoint, 1024) { KeepPackets = true, DropRtpPacketNumber = 13 };
        var answer = _room.Negotiate("plain", plain.Offer(false, 0, 0, 0, rtx: false));
        Assert.DoesNotContain("ssrc-group:FID", answer, StringComparison.Ordinal);
        plain.Connect(answer, SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(WaitUntil(() => _room.GetStats().All(s => s.State == "connected")));
        SendVideo(1000, 20);
        Assert.True(WaitUntil(() => plain.RtpLog.Count >= 19), $"{plain.RtpLog.Count} forwarded; {_server.Diagnostics()}");
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(plain.RtpLog.ToArray()[0], out var firstHeader));
        var missing = (ushort)(firstHeader.SequenceNumber + 12);

        var length = RtcpWriter.WriteNack(_buffer, 0x3333_0002, firstHeader.Ssrc, [missing]);
        plain.SendRtcp(_buffer, length);

        Assert.True(WaitUntil(() => plain.RtpLog.Count >= 20), "no retransmission");
        var resent = plain.RtpLog.ToArray()[19];
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(resent, out var resentHeader));
        Assert.Equal(missing, resentHeader.SequenceNumber);
        Assert.Equal(firstHeader.Ssrc, resentHeader.Ssrc);
        Assert.Equal(firstHeader.PayloadType, resentHeader.PayloadType);
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
