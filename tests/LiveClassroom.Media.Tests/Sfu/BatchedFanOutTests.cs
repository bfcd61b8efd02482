using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Rtp;
using LiveClassroom.Media.Sfu;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Tests.Sfu;

/// <summary>
/// A burst of a publisher's packets handed to its room in one call (what a worker does with the datagrams its socket
/// already held): the room splits one fan-out for the burst over the lanes, and every subscriber still gets every packet,
/// per track in the order it arrived. A real MediaServer with two workers; the bursts are given to the room as the
/// transport would (under the publisher's sink lock), so their size is the test's, not the scheduler's.
/// </summary>
public sealed class BatchedFanOutTests : IDisposable
{
    private const uint AudioSsrc = 0x5200_0001;
    private const uint VideoSsrc = 0x5200_0002;
    private const uint RtxSsrc = 0x5200_0003;
    private const int Subscribers = 24;
    private const byte VideoPt = 96;
    private const byte AudioPt = 111;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate("batch-test");
    private readonly MediaServer _server;
    private readonly MediaRoom _room;
    private readonly SyntheticPeer _publisher;
    private readonly Dictionary<string, (SyntheticPeer Peer, Received Log)> _subscribers = [];
    private readonly DatagramBatch _batch = new([.. Enumerable.Range(0, SfuRoom.MaxDeferred).Select(_ => new byte[2048])], AddressFamily.InterNetwork);
    private readonly byte[] _packet = new byte[1600];
    private ushort _videoSeq = 3000;
    private ushort _audioSeq = 7000;
    private uint _videoTs = 90_000;
    private uint _audioTs = 48_000;

    public BatchedFanOutTests()
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
        _room = _server.CreateRoom("batches");
        _room.AutoRoute = true;
        _publisher = new SyntheticPeer(Certificate, _server.LocalEndPoint, 16);
        _publisher.Connect(_room.Negotiate("pub", _publisher.Offer(true, AudioSsrc, VideoSsrc, RtxSsrc)), SrtpProtectionProfileId.AeadAes128Gcm);
        for (var i = 0; i < Subscribers; i++)
        {
            Join($"s{i}");
        }
    }

    public void Dispose()
    {
        foreach (var (peer, _) in _subscribers.Values)
        {
            peer.Dispose();
        }
        _publisher.Dispose();
        _server.Dispose();
    }

    /// <summary>What one subscriber received: the index each packet carries, per payload type, in arrival order.</summary>
    private sealed class Received
    {
        private readonly List<int> _video = [];
        private readonly List<int> _audio = [];

        public void Add(byte payloadType, int index)
        {
            lock (this)
            {
                (payloadType == VideoPt ? _video : _audio).Add(index);
            }
        }

        public int[] Video
        {
            get
            {
                lock (this)
                {
                    return [.. _video];
                }
            }
        }

        public int[] Audio
        {
            get
            {
                lock (this)
                {
                    return [.. _audio];
                }
            }
        }
    }

    private void Join(string id)
    {
        var peer = new SyntheticPeer(Certificate, _server.LocalEndPoint, 16);
        var log = new Received();
        peer.OnPlainRtp = packet =>
        {
            if (RtpHeader.TryParse(packet, out var header) != RtpParseError.None)
            {
                return;
            }
            var payload = packet.Slice(header.PayloadOffset, header.PayloadLength);
            // The index sits past the VP8 descriptor and header (video) or at the start (audio).
            log.Add(header.PayloadType, BinaryPrimitives.ReadUInt16BigEndian(header.PayloadType == VideoPt ? payload[8..] : payload));
        };
        _subscribers[id] = (peer, log);
        peer.Connect(_room.Negotiate(id, peer.Offer(false, 0, 0, 0)), SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(SpinWait.SpinUntil(() => _room.GetStats().Any(s => s.PeerId == id && s.State == "connected"), Deadline), _server.Diagnostics());
    }

    /// <summary>Puts one SRTP video packet carrying <paramref name="index"/> into the batch at <paramref name="slot"/>.</summary>
    private void Video(int slot, int index, bool keyframe = false)
    {
        var header = RtpHeaderWriter.WriteFixed(_packet, VideoPt, true, _videoSeq++, _videoTs, VideoSsrc);
        _videoTs += 3000;
        var payload = _packet.AsSpan(header, 200);
        payload.Fill(0x33);
        payload[0] = 0x10;
        payload[1] = (byte)(keyframe ? 0x00 : 0x01); // VP8 P bit 0: a keyframe
        BinaryPrimitives.WriteUInt16BigEndian(payload[8..], (ushort)index);
        Protect(slot, header + 200);
    }

    private void Audio(int slot, int index)
    {
        var header = RtpHeaderWriter.WriteFixed(_packet, AudioPt, false, _audioSeq++, _audioTs, AudioSsrc);
        _audioTs += 960;
        var payload = _packet.AsSpan(header, 40);
        payload.Fill(0x44);
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)index);
        Protect(slot, header + 40);
    }

    private void Protect(int slot, int length)
    {
        Assert.Equal(LiveClassroom.Media.Srtp.SrtpStatus.Ok, _publisher.Send!.ProtectRtp(_packet, length, out var protectedLength));
        _batch.Set(slot, _packet.AsSpan(0, protectedLength));
    }

    /// <summary>Hands the batch's first <paramref name="count"/> packets to the room in one call, as the publisher's worker does.</summary>
    private void Deliver(int count)
    {
        _batch.Count = count;
        var peer = _room.Engine.FindPeer("pub")!;
        // The transport's contract: one call at a time per sink, under the sink's lock.
        lock (peer)
        {
            _room.Engine.OnRtpBatch(peer, _batch, 0, count);
        }
    }

    private void WaitForVideo(int count, IEnumerable<string> ids) =>
        Assert.True(SpinWait.SpinUntil(() => ids.All(id => _subscribers[id].Log.Video.Length >= count), Deadline),
            $"video received: {string.Join(',', ids.Select(id => _subscribers[id].Log.Video.Length))}; {_server.Diagnostics()}");

    private IEnumerable<string> Ids => _subscribers.Keys.ToArray();

    [Fact]
    public void OnRtpBatch_BurstsOfSixteen_OneSplitEachAndEverySubscriberGetsEveryPacketInOrder()
    {
        var (jobsBefore, _, _) = _server.FanOutCounts;
        var packetsBefore = _server.FanOutPackets;
        for (var burst = 0; burst < 8; burst++)
        {
            for (var i = 0; i < SfuRoom.MaxDeferred; i++)
            {
                var index = burst * SfuRoom.MaxDeferred + i;
                Video(i, index, keyframe: index == 0);
            }
            Deliver(SfuRoom.MaxDeferred);
            // Each wait bounds what is in flight, so the test does not depend on socket buffers absorbing a burst.
            WaitForVideo((burst + 1) * SfuRoom.MaxDeferred, Ids);
        }

        var expected = Enumerable.Range(0, 8 * SfuRoom.MaxDeferred).ToArray();
        Assert.All(_subscribers.Values, s => Assert.Equal(expected, s.Log.Video));
        // One split per burst, not per packet.
        Assert.Equal(8, _server.FanOutCounts.Jobs - jobsBefore);
        Assert.Equal(8 * SfuRoom.MaxDeferred, _server.FanOutPackets - packetsBefore);
    }

    [Fact]
    public void OnRtpBatch_AudioAndVideoInOneBurst_EachTrackInOrderOneSplitPerRunOfATrack()
    {
        // Keyframe first, on its own: the subscribers' video starts with it.
        Video(0, 0, keyframe: true);
        Deliver(1);
        WaitForVideo(1, Ids);
        var (jobsBefore, _, _) = _server.FanOutCounts;

        // v v v v v a a a a a v v v v v v: three runs of one track, three splits.
        for (var i = 0; i < 5; i++)
        {
            Video(i, 1 + i);
        }
        for (var i = 0; i < 5; i++)
        {
            Audio(5 + i, i);
        }
        for (var i = 0; i < 6; i++)
        {
            Video(10 + i, 6 + i);
        }
        Deliver(16);
        WaitForVideo(12, Ids);
        Assert.True(SpinWait.SpinUntil(() => _subscribers.Values.All(s => s.Log.Audio.Length >= 5), Deadline), _server.Diagnostics());

        Assert.Equal(3, _server.FanOutCounts.Jobs - jobsBefore);
        Assert.All(_subscribers.Values, s =>
        {
            Assert.Equal(Enumerable.Range(0, 12), s.Log.Video);
            Assert.Equal(Enumerable.Range(0, 5), s.Log.Audio);
        });
    }

    [Fact]
    public void OnRtpBatch_SubscribersJoinAndLeaveBetweenBursts_NewcomerGetsLaterBurstsInOrderLeaverNothingMore()
    {
        for (var i = 0; i < SfuRoom.MaxDeferred; i++)
        {
            Video(i, i, keyframe: i == 0);
        }
        Deliver(SfuRoom.MaxDeferred);
        WaitForVideo(SfuRoom.MaxDeferred, Ids);

        _room.RemovePeer("s0");
        Join("late");
        var stayed = Ids.Where(id => id != "s0").ToArray();
        for (var i = 0; i < SfuRoom.MaxDeferred; i++)
        {
            var index = SfuRoom.MaxDeferred + i;
            // The second burst opens with a keyframe, which the newcomer's video starts from.
            Video(i, index, keyframe: i == 0);
        }
        Deliver(SfuRoom.MaxDeferred);
        WaitForVideo(SfuRoom.MaxDeferred, ["late"]);
        WaitForVideo(2 * SfuRoom.MaxDeferred, stayed.Where(id => id != "late"));

        Assert.Equal(Enumerable.Range(SfuRoom.MaxDeferred, SfuRoom.MaxDeferred), _subscribers["late"].Log.Video);
        Assert.All(stayed.Where(id => id != "late"), id => Assert.Equal(Enumerable.Range(0, 2 * SfuRoom.MaxDeferred), _subscribers[id].Log.Video));
        // Removed before the second burst: what it got is the first burst, nothing after (the others already have the second).
        Assert.Equal(Enumerable.Range(0, SfuRoom.MaxDeferred), _subscribers["s0"].Log.Video);
    }

    [Fact]
    public void OnRtpBatch_LanesHeldByAnotherFanOut_BurstRunsInlineInOrder()
    {
        Video(0, 0, keyframe: true);
        Deliver(1);
        WaitForVideo(1, Ids);
        var pool = _room.Engine.FanOut!;
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        // Another room's split, stuck in its one chunk: the lanes are taken until it ends.
        var other = new Thread(() => pool.TryRun(new BlockingJob(entered, release), 1));
        other.Start();
        try
        {
            Assert.True(entered.Wait(Deadline));
            var packetsBefore = _server.FanOutPackets;
            for (var i = 0; i < SfuRoom.MaxDeferred; i++)
            {
                Video(i, 1 + i);
            }

            Deliver(SfuRoom.MaxDeferred);
            WaitForVideo(1 + SfuRoom.MaxDeferred, Ids);

            Assert.Equal(packetsBefore, _server.FanOutPackets);
            Assert.All(_subscribers.Values, s => Assert.Equal(Enumerable.Range(0, 1 + SfuRoom.MaxDeferred), s.Log.Video));
        }
        finally
        {
            release.Set();
            other.Join();
        }
    }

    private sealed class BlockingJob(ManualResetEventSlim entered, ManualResetEventSlim release) : IFanOutJob
    {
        public void RunChunk(int chunk)
        {
            entered.Set();
            release.Wait();
        }
    }
}
