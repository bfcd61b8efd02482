using System.Collections.Concurrent;
using System.Net;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Tests.Sfu;

/// <summary>
/// Audio that survives loss: Opus answered with in-band FEC (RFC 7587 §6.1), RED (RFC 2198) forwarded unchanged to a
/// subscriber that negotiated it and as its primary Opus block to one that did not (and to the recorder's tap).
/// </summary>
public sealed class RedTests : IDisposable
{
    private const uint AudioSsrc = 0x7700_0001;
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate("red-test");
    private readonly MediaServer _server = new(new MediaServerOptions
    {
        BindAddress = IPAddress.Loopback,
        AdvertisedAddresses = [IPAddress.Loopback],
        VideoCodec = VideoCodecPreference.Vp8,
    });
    private readonly List<SyntheticPeer> _peers = [];

    [Fact]
    public void Red_PublisherSendsRed_RedSubscriberGetsItUnchanged_OthersAndTheTapGetPrimaryOpus()
    {
        var room = _server.CreateRoom("red");
        var (publisher, publisherAnswer) = Connect(room, "pub", publish: true, red: true);
        // RED first, so Chrome sends it; Opus with in-band FEC.
        Assert.Contains("m=audio 9 UDP/TLS/RTP/SAVPF 63 111", publisherAnswer, StringComparison.Ordinal);
        Assert.Contains("a=fmtp:63 111/111", publisherAnswer, StringComparison.Ordinal);
        Assert.Contains("useinbandfec=1", publisherAnswer, StringComparison.Ordinal);
        var (withRed, _) = Connect(room, "a", publish: false, red: true);
        var (withoutRed, plainAnswer) = Connect(room, "b", publish: false, red: false);
        Assert.DoesNotContain("red/48000", plainAnswer, StringComparison.Ordinal);
        var tapped = new ConcurrentQueue<byte[]>();
        var gotA = new ConcurrentQueue<byte[]>();
        var gotB = new ConcurrentQueue<byte[]>();
        withRed.OnPlainRtp = p => gotA.Enqueue(p.ToArray());
        withoutRed.OnPlainRtp = p => gotB.Enqueue(p.ToArray());
        room.Route("a", "0", new MediaTrackSource("pub", "0"));
        room.Route("b", "0", new MediaTrackSource("pub", "0"));
        using var tap = room.Tap("pub", "0", (packet, _) => tapped.Enqueue(packet.ToArray()));

        // One redundant block (the previous frame, 3 bytes, 960 ticks earlier) and the primary (4 bytes).
        byte[] redPayload = [0x80 | 111, (byte)(960 >> 6), (byte)((960 & 0x3F) << 2), 3, 111, 0xA1, 0xA2, 0xA3, 0xB1, 0xB2, 0xB3, 0xB4];
        var buffer = new byte[256];
        var header = RtpHeaderWriter.WriteFixed(buffer, 63, false, 500, 48_000, AudioSsrc);
        redPayload.CopyTo(buffer, header);
        publisher.SendRtp(buffer, header + redPayload.Length);

        Assert.True(Loss.ThreePeerRoom.WaitUntil(() => !gotA.IsEmpty && !gotB.IsEmpty && !tapped.IsEmpty), _server.Diagnostics());
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(gotA.Single(), out var a));
        Assert.Equal(63, a.PayloadType);
        Assert.Equal(redPayload, gotA.Single().AsSpan(a.PayloadOffset, a.PayloadLength).ToArray());
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(gotB.Single(), out var b));
        Assert.Equal(111, b.PayloadType);
        Assert.Equal([0xB1, 0xB2, 0xB3, 0xB4], gotB.Single().AsSpan(b.PayloadOffset, b.PayloadLength).ToArray());
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(tapped.Single(), out var t));
        Assert.Equal(111, t.PayloadType);
        Assert.Equal(500, t.SequenceNumber);
        Assert.Equal([0xB1, 0xB2, 0xB3, 0xB4], tapped.Single().AsSpan(t.PayloadOffset, t.PayloadLength).ToArray());
    }

    [Fact]
    public void Red_SubscriberWithOtherPayloadTypes_GetsItsRedAndOpusPayloadTypes_BlocksUnchanged()
    {
        var room = _server.CreateRoom("red-pt");
        var (publisher, _) = Connect(room, "pub", publish: true, red: true);
        // A subscriber whose Opus is 109 and RED 100 (Firefox numbers its Opus 109): the publisher's blocks say 111.
        var (other, answer) = Connect(room, "c", publish: false, red: true, opus: 109, redPt: 100);
        Assert.Contains("a=fmtp:100 109/109", answer, StringComparison.Ordinal);
        var got = new ConcurrentQueue<byte[]>();
        other.OnPlainRtp = p => got.Enqueue(p.ToArray());
        room.Route("c", "0", new MediaTrackSource("pub", "0"));

        // Two redundant blocks (3 and 2 bytes, 1,920 and 960 ticks earlier) and the primary (4 bytes), all Opus 111.
        byte[] redPayload =
        [
            0x80 | 111, (byte)(1920 >> 6), (byte)((1920 & 0x3F) << 2), 3,
            0x80 | 111, (byte)(960 >> 6), (byte)((960 & 0x3F) << 2), 2,
            111, 0xA1, 0xA2, 0xA3, 0xC1, 0xC2, 0xB1, 0xB2, 0xB3, 0xB4,
        ];
        var buffer = new byte[256];
        var header = RtpHeaderWriter.WriteFixed(buffer, 63, false, 700, 96_000, AudioSsrc);
        redPayload.CopyTo(buffer, header);
        publisher.SendRtp(buffer, header + redPayload.Length);

        Assert.True(Loss.ThreePeerRoom.WaitUntil(() => !got.IsEmpty), _server.Diagnostics());
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(got.Single(), out var h));
        Assert.Equal(100, h.PayloadType);
        byte[] expected =
        [
            0x80 | 109, (byte)(1920 >> 6), (byte)((1920 & 0x3F) << 2), 3,
            0x80 | 109, (byte)(960 >> 6), (byte)((960 & 0x3F) << 2), 2,
            109, 0xA1, 0xA2, 0xA3, 0xC1, 0xC2, 0xB1, 0xB2, 0xB3, 0xB4,
        ];
        Assert.Equal(expected, got.Single().AsSpan(h.PayloadOffset, h.PayloadLength).ToArray());
    }

    private (SyntheticPeer Peer, string Answer) Connect(MediaRoom room, string id, bool publish, bool red, int opus = 111, int redPt = 63)
    {
        var peer = new SyntheticPeer(Certificate, _server.LocalEndPoint, 16);
        _peers.Add(peer);
        var offer = peer.Offer(publish, AudioSsrc, 0x7700_0002, 0x7700_0003, red: red);
        if (opus != 111 || redPt != 63)
        {
            offer = offer.Replace("SAVPF 111 63", $"SAVPF {opus} {redPt}", StringComparison.Ordinal)
                .Replace("a=rtpmap:111 opus", $"a=rtpmap:{opus} opus", StringComparison.Ordinal)
                .Replace("a=fmtp:111 ", $"a=fmtp:{opus} ", StringComparison.Ordinal)
                .Replace("a=rtpmap:63 red", $"a=rtpmap:{redPt} red", StringComparison.Ordinal)
                .Replace("a=fmtp:63 111/111", $"a=fmtp:{redPt} {opus}/{opus}", StringComparison.Ordinal);
        }
        var answer = room.Negotiate(id, offer);
        peer.Connect(answer, SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(Loss.ThreePeerRoom.WaitUntil(() => room.GetStats().Any(s => s.PeerId == id && s.State == "connected")), _server.Diagnostics());
        return (peer, answer);
    }

    public void Dispose()
    {
        foreach (var peer in _peers)
        {
            peer.Dispose();
        }
        _server.Dispose();
    }
}
