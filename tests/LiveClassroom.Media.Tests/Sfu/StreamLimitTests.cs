using System.Diagnostics;
using System.Net;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Tests.Sfu;

/// <summary>
/// Stream limits through a real MediaServer with synthetic ICE/DTLS/SRTP peers on loopback: a publisher inventing
/// SSRCs must not grow the server's memory (issue #12, item 2).
/// </summary>
public sealed class StreamLimitTests : IDisposable
{
    private const uint AudioSsrc = 0x4444_0001;
    private const uint VideoSsrc = 0x4444_0002;
    private const uint RtxSsrc = 0x4444_0003;
    private const int CacheBytes = 64 * 1024;
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate("limit-test");
    private readonly List<IDisposable> _owned = [];
    private readonly byte[] _buffer = new byte[1600];

    [Fact]
    public void ThreeHundredSsrcs_FromOnePeer_KeepOneStreamAndBoundedCacheBytes_AndCountTheDrops()
    {
        var (server, room, publisher, _) = Start(cacheBytes: CacheBytes);

        // The announced stream first, then 300 made-up SSRCs claiming the same video mid, each with ~1 KB packets.
        for (var i = 0; i < 64; i++)
        {
            SendVideo(publisher, VideoSsrc, (ushort)i, 1000);
        }
        Assert.True(WaitUntil(() => Stats(room, "pub").IncomingStreams == 1), server.Diagnostics());
        // In batches, each waited for, so the test does not depend on socket buffers absorbing a burst.
        for (uint s = 0; s < 300; s++)
        {
            SendVideo(publisher, 0x5000_0000 + s, 1, 1000);
            if (s % 50 == 49)
            {
                var expected = s + 1;
                Assert.True(WaitUntil(() => Stats(room, "pub").StreamLimitDrops >= expected), server.Diagnostics());
            }
        }

        var stats = Stats(room, "pub");
        Assert.Equal(1, stats.IncomingStreams);
        Assert.Equal(300, stats.StreamLimitDrops);
        // One video stream's cache: the byte budget plus its 512-slot index, nothing per refused SSRC.
        Assert.InRange(stats.BufferedBytes, 1, CacheBytes + 512 * 20);
        Assert.Contains("streamLimitDrops=300", server.Diagnostics(), StringComparison.Ordinal);
    }

    [Fact]
    public void PerPeerLimit_StreamsBeyondIt_AreDroppedAndCounted()
    {
        var (server, room, publisher, _) = Start(maxStreamsPerPeer: 1);

        SendAudio(publisher, AudioSsrc, 1);
        Assert.True(WaitUntil(() => Stats(room, "pub").IncomingStreams == 1), server.Diagnostics());
        SendVideo(publisher, VideoSsrc, 1, 500);

        Assert.True(WaitUntil(() => Stats(room, "pub").StreamLimitDrops == 1), server.Diagnostics());
        Assert.Equal(1, Stats(room, "pub").IncomingStreams);
        Assert.Equal(0, Stats(room, "pub").BufferedBytes);
    }

    [Fact]
    public void CameraRestart_NewSsrcAfterTheOldFellSilent_ReplacesTheStreamAndReachesTheSubscriber()
    {
        var (server, room, publisher, subscriber) = Start(replaceAfter: TimeSpan.FromSeconds(1));
        const uint restarted = 0x4444_0099;
        SendVideo(publisher, VideoSsrc, 1, 300, fill: 1);
        Assert.True(WaitUntil(() => subscriber.RtpLog.Any(p => PayloadByte(p) == 1)), server.Diagnostics());

        // While the old SSRC is live (a packet of it right before each new one), the new SSRC is refused...
        ushort oldSeq = 2;
        Assert.True(WaitUntil(() =>
        {
            SendVideo(publisher, VideoSsrc, oldSeq++, 300, fill: 1);
            SendVideo(publisher, restarted, 1, 300, fill: 2);
            return Stats(room, "pub").StreamLimitDrops >= 1;
        }), server.Diagnostics());
        Assert.DoesNotContain(subscriber.RtpLog, p => PayloadByte(p) == 2);
        // ...and once the old one has been silent long enough, the new one takes its place.
        ushort seq = 2;
        Assert.True(WaitUntil(() =>
        {
            SendVideo(publisher, restarted, seq++, 300, fill: 2);
            return subscriber.RtpLog.Any(p => PayloadByte(p) == 2);
        }), server.Diagnostics());
        Assert.Equal(1, Stats(room, "pub").IncomingStreams);
    }

    private (MediaServer Server, MediaRoom Room, SyntheticPeer Publisher, SyntheticPeer Subscriber) Start(
        int cacheBytes = 256 * 1024, int maxStreamsPerPeer = 16, TimeSpan? replaceAfter = null)
    {
        var server = new MediaServer(new MediaServerOptions
        {
            BindAddress = IPAddress.Loopback,
            AdvertisedAddresses = [IPAddress.Loopback],
            VideoCodec = VideoCodecPreference.Vp8,
            RetransmissionCacheBytes = cacheBytes,
            MaxIncomingStreamsPerPeer = maxStreamsPerPeer,
            StreamReplaceAfter = replaceAfter ?? TimeSpan.FromSeconds(2),
        });
        _owned.Add(server);
        var room = server.CreateRoom("r");
        room.AutoRoute = true;
        var publisher = new SyntheticPeer(_certificate, server.LocalEndPoint, 16);
        _owned.Add(publisher);
        publisher.Connect(room.Negotiate("pub", publisher.Offer(true, AudioSsrc, VideoSsrc, RtxSsrc)), SrtpProtectionProfileId.AeadAes128Gcm);
        var subscriber = new SyntheticPeer(_certificate, server.LocalEndPoint, 1024) { KeepPackets = true };
        _owned.Add(subscriber);
        subscriber.Connect(room.Negotiate("sub", subscriber.Offer(false, 0, 0, 0)), SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(WaitUntil(() => room.GetStats().Count == 2 && room.GetStats().All(s => s.State == "connected")));
        return (server, room, publisher, subscriber);
    }

    private static MediaPeerStats Stats(MediaRoom room, string peer) => room.GetStats().Single(s => s.PeerId == peer);

    private static byte PayloadByte(byte[] packet) =>
        RtpHeader.TryParse(packet, out var h) == RtpParseError.None && h.PayloadLength > 4 ? packet[h.PayloadOffset + 4] : (byte)0;

    // VP8 keyframes (S bit, P bit clear) carrying the mid extension (id 4 in the synthetic offer) so the SFU places them by mid.
    private void SendVideo(SyntheticPeer publisher, uint ssrc, ushort seq, int payloadLength, byte fill = 7)
    {
        var span = _buffer.AsSpan();
        var length = WriteHeaderWithMid(span, 96, seq, ssrc, "1");
        var payload = span.Slice(length, payloadLength);
        payload.Fill(fill);
        payload[0] = 0x10;
        payload[1] = 0x00;
        publisher.SendRtp(span, length + payloadLength);
    }

    private void SendAudio(SyntheticPeer publisher, uint ssrc, ushort seq)
    {
        var span = _buffer.AsSpan();
        var length = WriteHeaderWithMid(span, 111, seq, ssrc, "0");
        span.Slice(length, 40).Fill(3);
        publisher.SendRtp(span, length + 40);
    }

    private static int WriteHeaderWithMid(Span<byte> buffer, byte payloadType, ushort seq, uint ssrc, string mid)
    {
        Span<byte> block = stackalloc byte[16];
        var writer = new RtpExtensionWriter(block, twoByte: false);
        writer.Add(4, System.Text.Encoding.ASCII.GetBytes(mid));
        var blockLength = writer.Finish();
        return RtpHeaderWriter.Write(buffer, payloadType, true, seq, 3000u * seq, ssrc, [], writer.Profile, block[..blockLength]);
    }

    private static bool WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (condition())
            {
                return true;
            }
            Thread.Sleep(20);
        }
        return condition();
    }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }
}
