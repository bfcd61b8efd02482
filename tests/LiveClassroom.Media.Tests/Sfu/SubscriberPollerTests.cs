using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Tests.Sfu.Loss;

namespace LiveClassroom.Media.Tests.Sfu;

/// <summary>
/// The workers benchmark's cheap receive side: one poller thread reads every subscriber of a real MediaServer, counts
/// every RTP packet from its clear header and decrypts one in DecryptEvery. Its loss and latency figures rest on this.
/// </summary>
public sealed class SubscriberPollerTests : IDisposable
{
    private const uint VideoSsrc = 0x4444_0002;
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate("poller-test");
    private readonly MediaServer _server = new(new MediaServerOptions
    {
        BindAddress = System.Net.IPAddress.Loopback,
        AdvertisedAddresses = [System.Net.IPAddress.Loopback],
        VideoCodec = VideoCodecPreference.Vp8,
        Workers = 2,
    });
    private readonly MediaRoom _room;
    private readonly SyntheticPeer _publisher;
    private readonly List<SyntheticPeer> _subscribers = [];
    private readonly SubscriberPoller _poller = new("test-poller");
    private readonly byte[] _buffer = new byte[1600];

    public SubscriberPollerTests()
    {
        _room = _server.CreateRoom("r");
        _room.AutoRoute = true;
        _publisher = new SyntheticPeer(_certificate, _server.LocalEndPoint, 16);
        _publisher.Connect(_room.Negotiate("pub", _publisher.Offer(true, 0x4444_0001, VideoSsrc, 0x4444_0003)), SrtpProtectionProfileId.AeadAes128Gcm);
    }

    [Fact]
    public void Adopt_ConnectedSubscribers_CountsEveryPacketAndDecryptsOneInDecryptEvery()
    {
        var subscribers = Subscribers(3, decryptEvery: 4);
        _poller.Adopt(subscribers);

        Send(1000, 0, 40);

        Assert.True(ThreePeerRoom.WaitUntil(() => subscribers.All(s => s.Received == 40), 5),
            "received: " + string.Join('/', subscribers.Select(s => s.Received)));
        foreach (var subscriber in subscribers)
        {
            Assert.Same(_poller, subscriber.Poller);
            Assert.Equal(10, subscriber.Latencies.Length);
            Assert.Equal(0, subscriber.DecryptFailures);
        }
        // The room lock was held for those packets, and each hold was timed.
        Assert.InRange(_room.Engine.PacketLockHold.Counts().Sum(), 1, 40);
    }

    [Fact]
    public void PauseReceiving_AdoptedSubscriber_IsNotReadUntilResumed()
    {
        var subscribers = Subscribers(2, decryptEvery: 1);
        // The periodic read of paused sockets off: what is checked here is that a paused peer leaves the poll set (with
        // it on, a read every 250 ms may take a packet or two; CI read 1 at load ~30). The next test covers that read.
        using var poller = new SubscriberPoller("test-poller-unread") { ReadPaused = false };
        poller.Adopt(subscribers);
        var (paused, reading) = (subscribers[0], subscribers[1]);
        paused.PauseReceiving();

        Send(2000, 0, 10);

        Assert.True(ThreePeerRoom.WaitUntil(() => reading.Received == 10, 5), $"the other subscriber received {reading.Received}");
        Assert.Equal(0, paused.Received);
        paused.ResumeReceiving();
        Send(2000, 10, 10);
        Assert.True(ThreePeerRoom.WaitUntil(() => paused.Received >= 10, 5), $"the resumed subscriber received {paused.Received}");
        Assert.Equal(0, paused.DecryptFailures);
    }

    [Fact]
    public void PauseReceiving_StreamMovesOnMoreThanHalfTheSequenceSpace_SubscriberStaysInSrtpStep()
    {
        // RFC 3711 §3.3.1: a receiver that missed more than 32,768 packets in a row guesses the wrong rollover counter and
        // authenticates nothing after. The poller reads a paused socket now and then, so that cannot happen in a pause.
        var subscribers = Subscribers(1, decryptEvery: 8);
        _poller.Adopt(subscribers);
        var paused = subscribers[0];
        // Eight: the eighth is the one sampled and decrypted.
        Send(100, 0, 8);
        Assert.True(ThreePeerRoom.WaitUntil(() => paused.DecryptedVideo == 1, 5), $"decrypted {paused.DecryptedVideo}");
        paused.PauseReceiving();

        // 40,000 packets while paused, in steps of 4,000: each step waits for a paused read to decrypt one of them
        // (what keeps the receive context near the stream), not for time to pass.
        ushort seq = 108;
        for (var step = 0; step < 10; step++)
        {
            var decrypted = paused.DecryptedVideo;
            Send(seq, 0, 4000);
            seq += 4000;
            Assert.True(ThreePeerRoom.WaitUntil(() => paused.DecryptedVideo > decrypted, 5), $"step {step}: no paused read decrypted anything");
        }
        paused.ResumeReceiving();
        var received = paused.DecryptedVideo;
        Send(seq, 0, 64);

        Assert.True(ThreePeerRoom.WaitUntil(() => paused.DecryptedVideo >= received + 8, 5),
            $"after the pause: decrypted {paused.DecryptedVideo - received} of 64 sent (1 in 8 sampled), decrypt failures {paused.DecryptFailures}");
        Assert.Equal(0, paused.DecryptFailures);
    }

    [Fact]
    public void HandOver_SubscriberMidStream_PollerTakesItOverWithoutTheCallerWaitingOrAPacketLost()
    {
        // The cascade benchmark hands each classroom's peer over as soon as it is connected, from a starved thread: the
        // peer's own thread finishes its receive, makes the socket non-blocking and has the poller watch it.
        var subscriber = Subscribers(1, decryptEvery: 1)[0];
        Send(3000, 0, 20);
        _poller.HandOver(subscriber);
        Send(3000, 20, 20);
        subscriber.WaitParked();
        Assert.False(subscriber.Socket.Blocking);
        Send(3000, 40, 20);

        Assert.True(ThreePeerRoom.WaitUntil(() => subscriber.Received == 60, 5), $"received {subscriber.Received} of 60");
        Assert.Same(_poller, subscriber.Poller);
        Assert.Equal(0, subscriber.DecryptFailures);
    }

    [Fact]
    public async Task Dispose_WhileThePollerIsHandlingItsPacket_WaitsForItBeforeClosingTheSocket()
    {
        // A classroom replaces its peer while the poller thread may be inside that peer's packet: the peer's Dispose
        // takes it out of the poller and waits for that packet, so its socket and SRTP keys are never used after.
        var (subscriber, other) = (Subscribers(2, decryptEvery: 1) is var s ? (s[0], s[1]) : default);
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var socketOpenAfterRelease = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.OnPlainRtp = _ =>
        {
            if (inside.IsSet)
            {
                return;
            }
            inside.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            socketOpenAfterRelease.TrySetResult(subscriber.Socket.SafeHandle is { IsClosed: false, IsInvalid: false });
        };
        _poller.Adopt([subscriber, other]);
        Send(4000, 0, 1);
        Assert.True(inside.Wait(TimeSpan.FromSeconds(5)), "the poller did not deliver the packet");

        _subscribers.Remove(subscriber);
        var disposing = Task.Run(subscriber.Dispose);
        Assert.True(ThreePeerRoom.WaitUntil(() => subscriber.PollerRemoved, 5), "the peer's Dispose did not take it out of the poller");
        Assert.False(disposing.IsCompleted);
        release.Set();

        Assert.True(await socketOpenAfterRelease.Task.WaitAsync(TimeSpan.FromSeconds(5)), "the socket was closed while the poller was still handling its packet");
        await disposing.WaitAsync(TimeSpan.FromSeconds(10));
        // The poller goes on reading the others.
        Send(4000, 1, 10);
        Assert.True(ThreePeerRoom.WaitUntil(() => other.Received == 11, 5), $"the other subscriber received {other.Received} of 11");
    }

    private List<SyntheticPeer> Subscribers(int count, int decryptEvery)
    {
        var added = new List<SyntheticPeer>();
        for (var i = 0; i < count; i++)
        {
            var peer = new SyntheticPeer(_certificate, _server.LocalEndPoint, 64) { DecryptEvery = decryptEvery };
            _subscribers.Add(peer);
            added.Add(peer);
            peer.Connect(_room.Negotiate($"s{i}", peer.Offer(false, 0, 0, 0)), SrtpProtectionProfileId.AeadAes128Gcm);
        }
        Assert.True(ThreePeerRoom.WaitUntil(() => _room.GetStats().All(s => s.State == "connected"), 10));
        return added;
    }

    private void Send(ushort firstSeq, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            _publisher.SendRtp(_buffer, ThreePeerRoom.WriteVideo(_buffer, firstSeq, i, VideoSsrc));
        }
    }

    public void Dispose()
    {
        _poller.Dispose();
        foreach (var s in _subscribers)
        {
            s.Dispose();
        }
        _publisher.Dispose();
        _server.Dispose();
    }
}
