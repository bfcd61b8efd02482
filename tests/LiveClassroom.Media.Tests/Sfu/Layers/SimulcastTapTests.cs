using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Rtcp;
using LiveClassroom.Media.Tests.Sfu.Loss;

namespace LiveClassroom.Media.Tests.Sfu.Layers;

/// <summary>
/// A recorder's tap on a simulcast track through a real MediaServer on loopback: one layer at a time, on one continuous
/// RTP stream, moving down at a keyframe when the publisher stops its top layer; and the REMB the publisher is sent.
/// </summary>
public sealed class SimulcastTapTests : IDisposable
{
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate("tap-test");
    private readonly MediaServer _server = new(new MediaServerOptions
    {
        BindAddress = IPAddress.Loopback,
        AdvertisedAddresses = [IPAddress.Loopback],
        VideoCodec = VideoCodecPreference.Vp8,
        ConsentTimeout = TimeSpan.FromMinutes(5),
    });
    private readonly SyntheticPeer _publisherPeer;
    private readonly SimulcastPublisher _publisher;
    private readonly MediaRoom _room;
    private readonly ConcurrentQueue<(uint Ssrc, ushort Seq, int Layer, int Index)> _tapped = new();
    private int _count;

    public SimulcastTapTests()
    {
        _room = _server.CreateRoom("tap");
        _publisherPeer = new SyntheticPeer(Certificate, _server.LocalEndPoint, 16) { KeepPackets = true };
        _publisherPeer.Connect(_room.Negotiate("pub", _publisherPeer.Offer(true, SimulcastPublisher.AudioSsrc, 0, 0, rids: SimulcastPublisher.Rids)),
            SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(ThreePeerRoom.WaitUntil(() => _room.GetStats().Count(s => s.State == "connected") == 1), _server.Diagnostics());
        _publisher = new SimulcastPublisher(_publisherPeer);
        Assert.True(ThreePeerRoom.WaitUntil(() => _room.GetStats().Single(s => s.PeerId == "pub").IncomingStreams >= 4), _server.Diagnostics());
    }

    private void OnTap(ReadOnlySpan<byte> packet, RtpCodec codec)
    {
        if (!codec.IsVideo)
        {
            return;
        }
        var payloadOffset = 12 + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            payloadOffset += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(payloadOffset + 2)..]));
        }
        _tapped.Enqueue((BinaryPrimitives.ReadUInt32BigEndian(packet[8..]), BinaryPrimitives.ReadUInt16BigEndian(packet[2..]), packet[payloadOffset + 5],
            Interlocked.Increment(ref _count)));
    }

    [Fact]
    public void Tap_SimulcastTrack_OneLayerAtATimeOnOneStream_DownAtAKeyframeWhenTheTopStops()
    {
        using var tap = _room.Tap("pub", "1", OnTap);
        Assert.True(ThreePeerRoom.WaitUntil(() => _tapped.Count(p => p.Layer == 2) > 150), Describe());

        _publisher.TopLayer = 1;
        Assert.True(ThreePeerRoom.WaitUntil(() => _tapped.Count(p => p.Layer == 1) > 100), Describe());

        var all = _tapped.OrderBy(p => p.Index).ToList();
        // One stream for the recorder: one SSRC, every sequence number once, in order.
        Assert.Single(all.Select(p => p.Ssrc).Distinct());
        for (var i = 1; i < all.Count; i++)
        {
            Assert.True((ushort)(all[i - 1].Seq + 1) == all[i].Seq, $"packet {i}: {all[i - 1].Seq} then {all[i].Seq}");
        }
        // One layer at a time: once on the top layer nothing of another comes until the move down, and then only the middle.
        var firstTop = all.FindIndex(p => p.Layer == 2);
        var firstMiddle = all.FindIndex(firstTop, p => p.Layer == 1);
        Assert.All(all.Skip(firstTop).Take(firstMiddle - firstTop), p => Assert.Equal(2, p.Layer));
        Assert.All(all.Skip(firstMiddle), p => Assert.Equal(1, p.Layer));
    }

    [Fact]
    public void Remb_PublisherOfOneSimulcastCamera_Is2_5Mbps()
    {
        // RFC 3550 §6.2: reports every second; the REMB rides in the same compound.
        Assert.True(ThreePeerRoom.WaitUntil(() => RembValues().Count >= 2), Describe());
        Assert.All(RembValues(), bps => Assert.InRange(bps, 2_490_000UL, 2_500_000UL));
    }

    private List<ulong> RembValues()
    {
        var values = new List<ulong>();
        foreach (var compound in _publisherPeer.RtcpLog)
        {
            foreach (var item in new RtcpCompoundEnumerator(compound))
            {
                var p = item.Slice((ReadOnlySpan<byte>)compound);
                if (RtcpFeedbackHeader.TryParse(p, out var fb) && fb.IsApplicationLayer && RtcpRemb.TryParse(fb.Fci(p), out var bps, out _))
                {
                    values.Add(bps);
                }
            }
        }
        return values;
    }

    private string Describe() =>
        $"tapped layers: {string.Join(",", _tapped.GroupBy(p => p.Layer).Select(g => $"{g.Key}×{g.Count()}"))}; {_server.Diagnostics()}";

    public void Dispose()
    {
        _publisher.Dispose();
        _publisherPeer.Dispose();
        _server.Dispose();
    }
}
