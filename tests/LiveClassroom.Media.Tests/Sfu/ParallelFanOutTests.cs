using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.Net;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Tests.Sfu;

/// <summary>
/// A real MediaServer with two packet workers and synthetic peers on loopback: peers land on both workers' sockets (ICE,
/// DTLS and consent included), a publisher's packets fan out over the lanes, and every subscriber gets them all in order.
/// </summary>
public sealed class ParallelFanOutTests : IDisposable
{
    private const uint AudioSsrc = 0x5100_0001;
    private const uint VideoSsrc = 0x5100_0002;
    private const uint RtxSsrc = 0x5100_0003;
    private const int Subscribers = 24;
    private const int Packets = 300;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate("workers-test");
    private readonly MediaServer _server;
    private readonly MediaRoom _room;
    private readonly SyntheticPeer _publisher;
    private readonly List<SyntheticPeer> _subscribers = [];
    private readonly int[] _outOfOrder = new int[Subscribers];
    private readonly int[] _videoPackets = new int[Subscribers];

    public ParallelFanOutTests()
    {
        _server = new MediaServer(new MediaServerOptions
        {
            BindAddress = IPAddress.Loopback,
            AdvertisedAddresses = [IPAddress.Loopback],
            VideoCodec = VideoCodecPreference.Vp8,
            ConsentTimeout = TimeSpan.FromMinutes(5),
            Workers = 2,
            ParallelFanOutMinimum = 2,
        });
        _room = _server.CreateRoom("workers");
        _room.AutoRoute = true;
        _publisher = new SyntheticPeer(Certificate, _server.LocalEndPoint, 16);
        _publisher.Connect(_room.Negotiate("pub", _publisher.Offer(true, AudioSsrc, VideoSsrc, RtxSsrc)), SrtpProtectionProfileId.AeadAes128Gcm);
        for (var i = 0; i < Subscribers; i++)
        {
            var index = i;
            var peer = new SyntheticPeer(Certificate, _server.LocalEndPoint, 16);
            var last = -1;
            peer.OnPlainRtp = packet =>
            {
                // Video only (payload type 96): the slot's numbering must go up by one, packet after packet.
                if ((packet[1] & 0x7F) != 96)
                {
                    return;
                }
                int seq = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
                if (last >= 0 && seq != (ushort)(last + 1))
                {
                    Interlocked.Increment(ref _outOfOrder[index]);
                }
                last = seq;
                Interlocked.Increment(ref _videoPackets[index]);
            };
            _subscribers.Add(peer);
            peer.Connect(_room.Negotiate($"s{i}", peer.Offer(false, 0, 0, 0)), SrtpProtectionProfileId.AeadAes128Gcm);
        }
        Assert.True(SpinWait.SpinUntil(() => _room.GetStats().All(s => s.State == "connected"), Deadline), _server.Diagnostics());
    }

    public void Dispose()
    {
        foreach (var s in _subscribers)
        {
            s.Dispose();
        }
        _publisher.Dispose();
        _server.Dispose();
    }

    private void SendVideo()
    {
        var buffer = new byte[1600];
        for (var i = 0; i < Packets; i++)
        {
            var header = RtpHeaderWriter.WriteFixed(buffer, 96, true, (ushort)(1000 + i), (uint)(90_000 + i * 3000), VideoSsrc);
            var payload = buffer.AsSpan(header, 300);
            payload.Fill((byte)i);
            payload[0] = 0x10;
            payload[1] = (byte)(i == 0 ? 0x00 : 0x01); // the first packet is a keyframe (VP8 P bit 0)
            _publisher.SendRtp(buffer, header + 300);
            if (i % 25 == 24)
            {
                // Each wait bounds what is in flight, so the test does not depend on socket buffers absorbing a burst.
                var sent = i + 1;
                Assert.True(SpinWait.SpinUntil(() => _videoPackets.All(n => Volatile.Read(ref n) >= sent), Deadline),
                    $"after {sent}: {string.Join(',', _videoPackets)}; {_server.Diagnostics()}");
            }
        }
    }

    [Fact]
    public void Forward_TwoWorkers_EverySubscriberGetsEveryPacketInOrder()
    {
        SendVideo();

        Assert.All(_videoPackets, n => Assert.Equal(Packets, n));
        Assert.All(_outOfOrder, n => Assert.Equal(0, n));
        // Split over the lanes, not forwarded on the publisher's worker alone.
        Assert.True(_server.FanOutPackets >= Packets, $"packets whose fan-out was split: {_server.FanOutPackets}");
    }

    [Fact]
    public void Connect_TwentyFivePeers_LandOnBothWorkers()
    {
        // 25 peers over two sockets: all on one has odds of 2^-24. ICE checks, DTLS and consent worked on both.
        Assert.Equal(2, _server.Workers);
        var counts = _server.WorkerPacketCounts();
        Assert.All(counts, c => Assert.True(c > 0, $"per worker: {string.Join('/', counts)}"));
    }

    [Fact]
    public void WorkerPacketsMetric_HasOneSeriesPerWorker()
    {
        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MediaServer.MeterName && instrument.Name == "liveclassroom.sfu.worker.packets")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "worker")
                {
                    lock (seen)
                    {
                        seen[(string)tag.Value!] = value;
                    }
                }
            }
        });
        listener.Start();

        listener.RecordObservableInstruments();

        var counts = _server.WorkerPacketCounts();
        // Other servers of the test run add to the sums, never take away.
        Assert.True(seen.TryGetValue("0", out var w0) && w0 >= counts[0], $"worker 0: {w0} < {counts[0]}");
        Assert.True(seen.TryGetValue("1", out var w1) && w1 >= counts[1], $"worker 1: {w1} < {counts[1]}");
    }
}
