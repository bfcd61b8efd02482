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
/// The room of the batched fan-out tests (BatchedFanOutTests: two workers; BatchedFanOutOneWorkerTests: one).
/// A burst of a publisher's packets handed to its room in one call (what a worker does with the datagrams its socket
/// already held): the room splits one fan-out for the burst over the lanes, and every subscriber still gets every packet,
/// per track in the order it arrived. A real MediaServer with two workers; the bursts are given to the room as the
/// transport would (under the publisher's sink lock), so their size is the test's, not the scheduler's.
/// </summary>
public abstract class BatchedFanOutRoom : IDisposable
{
    private protected const uint AudioSsrc = 0x5200_0001;
    private protected const uint VideoSsrc = 0x5200_0002;
    private protected const uint RtxSsrc = 0x5200_0003;
    private protected const int Subscribers = 24;
    private protected const byte VideoPt = 96;
    private protected const byte AudioPt = 111;
    private protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private protected static readonly DtlsCertificate Certificate = DtlsCertificate.Generate("batch-test");
    private protected readonly MediaServer _server;
    private protected readonly MediaRoom _room;
    private protected readonly SyntheticPeer _publisher;
    private protected readonly Dictionary<string, (SyntheticPeer Peer, Received Log)> _subscribers = [];
    private protected readonly DatagramBatch _batch = new([.. Enumerable.Range(0, SfuRoom.MaxDeferred).Select(_ => new byte[2048])], AddressFamily.InterNetwork);
    private protected readonly byte[] _packet = new byte[1600];
    private protected ushort _videoSeq = 3000;
    private protected ushort _audioSeq = 7000;
    private protected uint _videoTs = 90_000;
    private protected uint _audioTs = 48_000;

    private protected BatchedFanOutRoom(int workers)
    {
        _server = new MediaServer(new MediaServerOptions
        {
            BindAddress = IPAddress.Loopback,
            AdvertisedAddresses = [IPAddress.Loopback],
            VideoCodec = VideoCodecPreference.Vp8,
            ConsentTimeout = TimeSpan.FromMinutes(5),
            Workers = workers,
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
    private protected sealed class Received
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

    private protected void Join(string id)
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
    private protected void Video(int slot, int index, bool keyframe = false)
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

    private protected void Audio(int slot, int index)
    {
        var header = RtpHeaderWriter.WriteFixed(_packet, AudioPt, false, _audioSeq++, _audioTs, AudioSsrc);
        _audioTs += 960;
        var payload = _packet.AsSpan(header, 40);
        payload.Fill(0x44);
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)index);
        Protect(slot, header + 40);
    }

    private protected void Protect(int slot, int length)
    {
        Assert.Equal(LiveClassroom.Media.Srtp.SrtpStatus.Ok, _publisher.Send!.ProtectRtp(_packet, length, out var protectedLength));
        _batch.Set(slot, _packet.AsSpan(0, protectedLength));
    }

    /// <summary>Hands the batch's first <paramref name="count"/> packets to the room in one call, as the publisher's worker does.</summary>
    private protected void Deliver(int count)
    {
        _batch.Count = count;
        var peer = _room.Engine.FindPeer("pub")!;
        // The transport's contract: one call at a time per sink, under the sink's lock.
        lock (peer)
        {
            _room.Engine.OnRtpBatch(peer, _batch, 0, count);
        }
    }

    private protected void WaitForVideo(int count, IEnumerable<string> ids) =>
        Assert.True(SpinWait.SpinUntil(() => ids.All(id => _subscribers[id].Log.Video.Length >= count), Deadline),
            $"video received: {string.Join(',', ids.Select(id => _subscribers[id].Log.Video.Length))}; {_server.Diagnostics()}");

    private protected IEnumerable<string> Ids => _subscribers.Keys.ToArray();

    /// <summary>
    /// Eight bursts of <see cref="SfuRoom.MaxDeferred"/> video packets, each delivered as one batch and waited for at every
    /// subscriber (each wait bounds what is in flight, so the test does not depend on socket buffers absorbing a burst).
    /// Returns the packet indices every subscriber should have logged, in order.
    /// </summary>
    private protected int[] SendEightBursts()
    {
        for (var burst = 0; burst < 8; burst++)
        {
            for (var i = 0; i < SfuRoom.MaxDeferred; i++)
            {
                var index = burst * SfuRoom.MaxDeferred + i;
                Video(i, index, keyframe: index == 0);
            }
            Deliver(SfuRoom.MaxDeferred);
            WaitForVideo((burst + 1) * SfuRoom.MaxDeferred, Ids);
        }
        return Enumerable.Range(0, 8 * SfuRoom.MaxDeferred).ToArray();
    }
}
