using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Rtcp;
using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Tests.Sfu.Loss;

/// <summary>A real MediaServer on loopback with one synthetic publisher (VP8 + RTX) and two synthetic subscribers, auto-routed.</summary>
internal sealed class ThreePeerRoom : IDisposable
{
    public const uint AudioSsrc = 0x4400_0001;
    public const uint VideoSsrc = 0x4400_0002;
    public const uint RtxSsrc = 0x4400_0003;
    public const int PayloadLength = 200;
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate("loss-test");
    private readonly byte[] _buffer = new byte[1600];

    public ThreePeerRoom(MediaServerOptions options)
    {
        Server = new MediaServer(options);
        Room = Server.CreateRoom("r");
        Room.AutoRoute = true;
        Publisher = Connect("pub", publish: true);
        A = Connect("a", publish: false);
        B = Connect("b", publish: false);
    }

    public MediaServer Server { get; }

    public MediaRoom Room { get; }

    public SyntheticPeer Publisher { get; }

    public SyntheticPeer A { get; }

    public SyntheticPeer B { get; }

    public static MediaServerOptions Options() => new()
    {
        BindAddress = IPAddress.Loopback,
        AdvertisedAddresses = [IPAddress.Loopback],
        VideoCodec = VideoCodecPreference.Vp8,
        ConsentTimeout = TimeSpan.FromMinutes(5),
        RetransmissionCacheSize = 64,
        RetransmissionBudgetBps = 80_000,
        KeyframeRequestInterval = TimeSpan.FromSeconds(1),
    };

    private SyntheticPeer Connect(string id, bool publish)
    {
        var peer = new SyntheticPeer(Certificate, Server.LocalEndPoint, 16) { KeepPackets = true };
        peer.Connect(Room.Negotiate(id, peer.Offer(publish, AudioSsrc, VideoSsrc, RtxSsrc)), SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(WaitUntil(() => Room.GetStats().Any(s => s.PeerId == id && s.State == "connected")), $"{id} did not connect; {Server.Diagnostics()}");
        return peer;
    }

    public MediaPeerStats Stats(string peerId) => Room.GetStats().Single(s => s.PeerId == peerId);

    /// <summary>One-packet VP8 frames seq firstSeq+i (the first a keyframe), payload filled with i; indices in <paramref name="skip"/> are never sent.</summary>
    public void SendVideo(ushort firstSeq, int count, params int[] skip)
    {
        for (var i = 0; i < count; i++)
        {
            if (skip.Contains(i))
            {
                continue;
            }
            Publisher.SendRtp(_buffer, WriteVideo(_buffer, firstSeq, i, VideoSsrc));
            if (i % 50 == 49)
            {
                // Loopback socket buffers are large, but a loaded machine still benefits from a breath between bursts.
                Thread.Yield();
            }
        }
    }

    /// <summary>The i-th one-packet VP8 frame from <paramref name="firstSeq"/> (a keyframe for i = 0), payload filled with i and ending in the send time.</summary>
    public static int WriteVideo(Span<byte> buffer, ushort firstSeq, int i, uint ssrc)
    {
        var header = RtpHeaderWriter.WriteFixed(buffer, 96, true, (ushort)(firstSeq + i), 90_000u + (uint)(3000 * i), ssrc);
        var payload = buffer.Slice(header, PayloadLength);
        payload.Fill((byte)i);
        payload[0] = 0x10;
        payload[1] = (byte)(i == 0 ? 0x00 : 0x01);
        BinaryPrimitives.WriteInt64LittleEndian(payload[^8..], Stopwatch.GetTimestamp());
        return header + PayloadLength;
    }

    public static void SendNack(SyntheticPeer subscriber, uint mediaSsrc, ReadOnlySpan<ushort> seqs)
    {
        var buffer = new byte[1600];
        var length = RtcpWriter.WriteNack(buffer, 0x3300_0001, mediaSsrc, seqs);
        subscriber.SendRtcp(buffer, length);
    }

    public static void SendPli(SyntheticPeer subscriber, uint mediaSsrc)
    {
        var buffer = new byte[256];
        var length = RtcpWriter.WritePli(buffer, 0x3300_0001, mediaSsrc);
        subscriber.SendRtcp(buffer, length);
    }

    /// <summary>Video packets a peer decrypted (by payload type 96).</summary>
    public static byte[][] Video(SyntheticPeer peer) => [.. peer.RtpLog.Where(p => (p[1] & 0x7F) == 96)];

    /// <summary>Every sequence number of <paramref name="mediaSsrc"/> the peer was sent a NACK for, once per occurrence.</summary>
    public static List<ushort> NacksReceived(SyntheticPeer peer, uint mediaSsrc)
    {
        var all = new List<ushort>();
        var lost = new ushort[512];
        foreach (var compound in peer.RtcpLog)
        {
            foreach (var item in new RtcpCompoundEnumerator(compound))
            {
                var p = item.Slice((ReadOnlySpan<byte>)compound);
                if (RtcpFeedbackHeader.TryParse(p, out var fb) && fb.IsNack && fb.MediaSsrc == mediaSsrc)
                {
                    all.AddRange(lost.AsSpan(0, RtcpNack.Expand(fb.Fci(p), lost)).ToArray());
                }
            }
        }
        return all;
    }

    public static int CountRtcp(SyntheticPeer peer, Func<RtcpPacket, byte[], bool> match)
    {
        var n = 0;
        foreach (var compound in peer.RtcpLog)
        {
            foreach (var item in new RtcpCompoundEnumerator(compound))
            {
                if (match(item, compound))
                {
                    n++;
                }
            }
        }
        return n;
    }

    public static bool WaitUntil(Func<bool> condition, double seconds = 20) => Wrap.WrapFixture.WaitUntil(condition, TimeSpan.FromSeconds(seconds));

    public void Dispose()
    {
        Publisher.Dispose();
        A.Dispose();
        B.Dispose();
        Server.Dispose();
    }
}
