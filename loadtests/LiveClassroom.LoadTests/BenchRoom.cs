using System.Diagnostics;
using System.Net;
using LiveClassroom.Media;
using LiveClassroom.Media.Dtls;

namespace LiveClassroom.LoadTests;

/// <summary>
/// A real MediaServer on loopback with one synthetic publisher and N synthetic subscribers, all connected (ICE, DTLS,
/// SRTP) and auto-routed: the set-up shared by the forwarding benchmark and the soak run.
/// </summary>
internal sealed class BenchRoom : IDisposable
{
    private readonly DtlsCertificate _peerCertificate;

    private BenchRoom(MediaServer server, MediaRoom room, SyntheticPeer publisher, List<SyntheticPeer> subscribers, DtlsCertificate peerCertificate)
    {
        _peerCertificate = peerCertificate;
        Server = server;
        Room = room;
        PublisherPeer = publisher;
        Subscribers = subscribers;
    }

    public MediaServer Server { get; }

    public MediaRoom Room { get; }

    public SyntheticPeer PublisherPeer { get; }

    public List<SyntheticPeer> Subscribers { get; }

    public static BenchRoom Start(int subscriberCount, SrtpProtectionProfileId srtp, int latencyCapacity, int? workers = null, int? receiveBatch = null,
        int? fanOutChunks = null)
    {
        var certificate = DtlsCertificate.Generate("loadtest");
        var server = new MediaServer(ServerOptions(srtp, workers ?? Environment.ProcessorCount, receiveBatch, fanOutChunks));
        var subscribers = new List<SyntheticPeer>();
        SyntheticPeer? publisher = null;
        try
        {
            var room = server.CreateRoom("bench");
            room.AutoRoute = true;
            publisher = new SyntheticPeer(certificate, server.LocalEndPoint, 16);
            publisher.Connect(room.Negotiate("publisher", publisher.Offer(true, Publisher.AudioSsrc, Publisher.VideoSsrc, Publisher.RtxSsrc)), srtp);
            for (var i = 0; i < subscriberCount; i++)
            {
                var peer = new SyntheticPeer(certificate, server.LocalEndPoint, latencyCapacity);
                subscribers.Add(peer);
                peer.Connect(room.Negotiate($"s{i}", peer.Offer(false, 0, 0, 0)), srtp);
            }
            WaitUntil(() => room.GetStats().All(s => s.State == "connected"), TimeSpan.FromSeconds(10));
            return new BenchRoom(server, room, publisher, subscribers, certificate);
        }
        catch
        {
            foreach (var s in subscribers)
            {
                s.Dispose();
            }
            publisher?.Dispose();
            server.Dispose();
            throw;
        }
    }

    /// <summary>The workers benchmark's --batched-sends (MediaServerOptions.BatchedSends) for every server it starts.</summary>
    public static bool BatchedSends { get; set; } = true;

    /// <summary>The benchmarks' media server: loopback, VP8, one SRTP profile, consent kept long.</summary>
    public static MediaServerOptions ServerOptions(SrtpProtectionProfileId srtp, int workers, int? receiveBatch = null, int? fanOutChunks = null) => new()
    {
        BatchedSends = BatchedSends,
        Workers = workers,
        ReceiveBatch = receiveBatch ?? new MediaServerOptions().ReceiveBatch,
        FanOutChunksPerThread = fanOutChunks ?? new MediaServerOptions().FanOutChunksPerThread,
        // The peers refresh consent while the run holds (Hold); growing a room by hundreds of handshakes on a loaded
        // machine may take longer than the default 30 s between two holds.
        ConsentTimeout = TimeSpan.FromMinutes(10),
        BindAddress = IPAddress.Loopback,
        AdvertisedAddresses = [IPAddress.Loopback],
        VideoCodec = VideoCodecPreference.Vp8,
        SrtpProfile = srtp == SrtpProtectionProfileId.AeadAes128Gcm ? SrtpProfilePreference.GcmOnly : SrtpProfilePreference.CmHmacSha1Only,
    };

    /// <summary>Creates <paramref name="count"/> more subscribers without connecting them (memory is measured in between).</summary>
    public SyntheticPeer[] AddUnconnected(int count, int latencyCapacity)
    {
        var added = new SyntheticPeer[count];
        for (var i = 0; i < count; i++)
        {
            added[i] = new SyntheticPeer(_peerCertificate, Server.LocalEndPoint, latencyCapacity);
        }
        return added;
    }

    /// <summary>
    /// Negotiates and connects peers made by <see cref="AddUnconnected"/>, four handshakes at a time. On a machine
    /// loaded far beyond its cores a handshake may time out: that peer is replaced by a fresh one (at most twice).
    /// </summary>
    public void GrowConnect(SyntheticPeer[] added, int firstIndex, SrtpProtectionProfileId srtp)
    {
        Parallel.For(0, added.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            for (var attempt = 0; ; attempt++)
            {
                var peer = added[i];
                try
                {
                    peer.Connect(Room.Negotiate($"s{firstIndex + i}", peer.Offer(false, 0, 0, 0)), srtp);
                    return;
                }
                catch (TimeoutException) when (attempt < 2)
                {
                    Interlocked.Increment(ref _handshakeRetries);
                    Room.RemovePeer($"s{firstIndex + i}");
                    peer.Dispose();
                    added[i] = new SyntheticPeer(_peerCertificate, Server.LocalEndPoint, peer.LatencyCapacity);
                }
            }
        });
        Subscribers.AddRange(added);
        WaitUntil(() => Room.GetStats().All(s => s.State == "connected"), TimeSpan.FromSeconds(30));
        if (Poller is not null)
        {
            foreach (var peer in added)
            {
                peer.DecryptEvery = _decryptEvery;
            }
            Poller.Adopt(added);
        }
    }

    private int _handshakeRetries;

    /// <summary>Reads the subscribers connected from now on (one thread for all, sampled decryption), or null: a thread each.</summary>
    public SubscriberPoller? Poller { get; private set; }

    private int _decryptEvery = 1;

    /// <summary>Subscribers connected from now on are read by one poller thread; one RTP packet in <paramref name="decryptEvery"/> is decrypted.</summary>
    public void UsePoller(int decryptEvery, bool readPaused = true)
    {
        Poller ??= new SubscriberPoller("lt-poller") { ReadPaused = readPaused };
        _decryptEvery = Math.Max(1, decryptEvery);
    }

    /// <summary>Handshakes that timed out and were retried with a fresh peer (printed: a sign of an overloaded machine).</summary>
    public int HandshakeRetries => Volatile.Read(ref _handshakeRetries);

    private ConsentKeeper? _consent;

    /// <summary>
    /// Waits, refreshing every peer's ICE consent every 5 s as browsers do (RFC 7675): without it the SFU drops the
    /// synthetic peers 30 s in, which a run longer than that would count as loss.
    /// </summary>
    public void Hold(TimeSpan duration) => (_consent ??= new ConsentKeeper(() => Subscribers.Prepend(PublisherPeer))).Hold(duration);

    /// <summary>Runs the publisher at real rate on its own thread until the token is cancelled.</summary>
    public static Thread StartSending(Publisher publisher, CancellationToken stop)
    {
        var sender = new Thread(() => publisher.Run(stop)) { IsBackground = true, Name = "lt-publisher", Priority = ThreadPriority.AboveNormal };
        sender.Start();
        return sender;
    }

    public static void WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException("benchmark set-up did not converge");
            }
            Thread.Sleep(20);
        }
    }

    public void Dispose()
    {
        Poller?.Dispose();
        foreach (var s in Subscribers)
        {
            s.Dispose();
        }
        PublisherPeer.Dispose();
        Server.Dispose();
    }
}
