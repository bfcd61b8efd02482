using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Rtp;
using LiveClassroom.Media.Sdp;
using LiveClassroom.Media.Srtp;
using LiveClassroom.Media.Stun;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;

namespace LiveClassroom.LoadTests;

/// <summary>
/// A browser stand-in built on the media library: its own UDP socket, an ICE check with USE-CANDIDATE, a BouncyCastle
/// DTLS client (the SFU is the server), SRTP both ways. Publishers send paced VP8-shaped video and Opus-sized audio
/// whose last 8 payload bytes carry the send time; subscribers decrypt and record the one-way latency.
/// </summary>
internal sealed class SyntheticPeer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly DtlsCertificate _certificate;
    private readonly DtlsDatagramQueue _dtls;
    private readonly string _ufrag = "lt" + RandomNumberGenerator.GetHexString(6);
    private readonly string _pwd = RandomNumberGenerator.GetHexString(24);
    private IPEndPoint _server;
    private readonly Thread _pump;
    private readonly long[] _latencies;
    private volatile bool _stopped;
    private volatile bool _paused;
    private readonly ManualResetEventSlim _resume = new(true);
    private readonly ManualResetEventSlim _parked = new(false);
    private readonly ManualResetEventSlim _stopWait = new(false);
    private volatile bool _detached;
    private volatile bool _stunAnswered;
    private int _latencyCount;
    private long _received;

    public SyntheticPeer(DtlsCertificate certificate, IPEndPoint server, int latencyCapacity)
    {
        _certificate = certificate;
        _server = server;
        _latencies = new long[latencyCapacity];
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.ReceiveTimeout = 200;
        _dtls = new DtlsDatagramQueue((b, o, n) => _socket.SendTo(b.AsSpan(o, n), SocketFlags.None, _server));
        _pump = new Thread(Pump) { IsBackground = true, Name = "lt-peer" };
        _pump.Start();
    }

    public int LatencyCapacity => _latencies.Length;

    /// <summary>Where this peer sends: set before <see cref="Connect"/> when the answer names the node (a cascade).</summary>
    public IPEndPoint Server
    {
        get => _server;
        set => _server = value;
    }

    public SrtpContext? Send { get; private set; }

    public SrtpContext? Receive { get; private set; }

    public long Received => Interlocked.Read(ref _received);

    /// <summary>RTP packets that authenticated and decrypted (never reset: a benchmark waits for it to move).</summary>
    public long Decrypted => Interlocked.Read(ref _decrypted);

    private long _decrypted;

    /// <summary>Video RTP packets (payload type <see cref="VideoPayloadType"/>) that authenticated and decrypted (never reset).</summary>
    public long DecryptedVideo => Interlocked.Read(ref _decryptedVideo);

    private long _decryptedVideo;

    /// <summary>Video RTP packets that arrived, counted from the clear header (never reset: a new subscriber's video starts at a keyframe).</summary>
    public long VideoArrivals => Interlocked.Read(ref _videoArrivals);

    private long _videoArrivals;

    /// <summary>
    /// Video RTP packets that arrived with a lower sequence number than one that arrived before them (clear header, RFC
    /// 3550 §5.1; 16-bit serial comparison): the SFU or the path reordered this subscriber's stream. Never reset.
    /// </summary>
    public long VideoReordered => Interlocked.Read(ref _videoReordered);

    private long _videoReordered;
    private int _videoHighestSeq = -1;

    /// <summary>The payload type the synthetic peers negotiate for VP8 (their offer's), the SFU's outgoing video payload type.</summary>
    public const byte VideoPayloadType = 96;

    /// <summary>Tests: the n-th RTP packet to arrive (1-based) is dropped before SRTP sees it, as if lost on the way.</summary>
    public int DropRtpPacketNumber { get; set; }

    /// <summary>Tests: RTP arrivals (1-based count) for which this answers true are dropped before SRTP, as if lost on the way.</summary>
    public Func<long, bool>? DropRtpArrival { get; set; }

    /// <summary>Called on the receive thread with every RTP packet that decrypted (plain RTP); tests check order and content.</summary>
    public RtpObserver? OnPlainRtp { get; set; }

    /// <summary>Called on the receive thread with every RTCP compound packet that decrypted (plain RTCP): a publisher answers PLIs.</summary>
    public RtpObserver? OnPlainRtcp { get; set; }

    /// <summary>SRTP or SRTCP packets from the SFU that did not authenticate or were refused (replayed, too old).</summary>
    public long DecryptFailures => Interlocked.Read(ref _decryptFailures);

    private long _decryptFailures;
    private long _rtpArrivals;

    /// <summary>When true, every decrypted RTP and RTCP packet is kept (tests; never in the benchmark).</summary>
    public bool KeepPackets { get; set; }

    public System.Collections.Concurrent.ConcurrentQueue<byte[]> RtpLog { get; } = new();

    public System.Collections.Concurrent.ConcurrentQueue<byte[]> RtcpLog { get; } = new();

    /// <summary>Latency samples in Stopwatch ticks; read after the run (the pump thread wrote them).</summary>
    public ReadOnlySpan<long> Latencies => _latencies.AsSpan(0, Math.Min(Volatile.Read(ref _latencyCount), _latencies.Length));

    /// <summary>
    /// Benchmarks: stop reading (the socket buffer shrinks to the kernel's minimum, so what the SFU sends meanwhile is
    /// dropped at this socket) and leave the CPU to the SFU; <see cref="ResumeReceiving"/> undoes it.
    /// </summary>
    public void PauseReceiving()
    {
        Poller?.Unwatch(this);
        _socket.ReceiveBufferSize = 1;
        _resume.Reset();
        _paused = true;
    }

    public void ResumeReceiving()
    {
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _paused = false;
        _resume.Set();
        Poller?.Watch(this);
    }

    /// <summary>The poller reading this peer's socket once <see cref="SubscriberPoller.Adopt"/> took it over, else null.</summary>
    internal SubscriberPoller? Poller { get; set; }

    /// <summary>This peer's place in its poller (the key its epoll events carry).</summary>
    internal int PollerIndex { get; set; }

    /// <summary>Set by <see cref="SubscriberPoller.Remove"/>: the poller never watches this peer again.</summary>
    internal bool PollerRemoved { get; set; }

    internal Socket Socket => _socket;

    /// <summary>With a poller: one RTP packet in this many is authenticated, decrypted and timed; the rest are counted only.</summary>
    public int DecryptEvery { get; set; } = 1;

    /// <summary>Hands the socket to a poller: this peer's own receive thread parks (<see cref="WaitParked"/>).</summary>
    internal void Detach() => _detached = true;

    /// <summary>Waits until the receive thread has parked (it finishes the receive it is in: 200 ms at most) and handed the socket over.</summary>
    internal void WaitParked()
    {
        if (!_parked.Wait(TimeSpan.FromSeconds(5)))
        {
            throw new TimeoutException("a synthetic peer's receive thread did not park");
        }
    }

    /// <summary>The poller's thread: one datagram read from this peer's socket.</summary>
    internal void Deliver(Span<byte> datagram) => Handle(datagram, sampled: true);

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _received, 0);
        Volatile.Write(ref _latencyCount, 0);
    }

    /// <param name="transportCc">Offer transport-wide congestion control (the extension as id 3 and rtcp-fb transport-cc), as Chrome does.</param>
    /// <param name="rids">Publish video as simulcast with these rids (RFC 8853; extension id 10), without SSRC lines, as Chrome does.</param>
    /// <param name="red">Offer audio/red over Opus (RFC 2198) as payload type 63, as Chrome does.</param>
    public string Offer(bool publish, uint audioSsrc, uint videoSsrc, uint rtxSsrc, bool transportCc = false, string[]? rids = null, bool red = false,
        bool rtx = true)
    {
        var direction = publish ? "sendonly" : "recvonly";
        var sb = new StringBuilder();
        void L(string line) => sb.Append(line).Append("\r\n");
        L("v=0");
        L("o=- 1 2 IN IP4 127.0.0.1");
        L("s=-");
        L("t=0 0");
        L("a=group:BUNDLE 0 1");
        L("a=msid-semantic: WMS *");
        foreach (var (kind, mid) in new[] { ("audio", "0"), ("video", "1") })
        {
            L(kind == "audio" ? (red ? "m=audio 9 UDP/TLS/RTP/SAVPF 111 63" : "m=audio 9 UDP/TLS/RTP/SAVPF 111") : (rtx ? "m=video 9 UDP/TLS/RTP/SAVPF 96 97" : "m=video 9 UDP/TLS/RTP/SAVPF 96"));
            L("c=IN IP4 0.0.0.0");
            L($"a=ice-ufrag:{_ufrag}");
            L($"a=ice-pwd:{_pwd}");
            L($"a=fingerprint:sha-256 {_certificate.Fingerprint}");
            L("a=setup:actpass");
            L($"a=mid:{mid}");
            L("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid");
            if (transportCc)
            {
                L("a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
            }
            if (kind == "video" && rids is not null)
            {
                L("a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id");
            }
            L($"a={direction}");
            L("a=rtcp-mux");
            L("a=rtcp-rsize");
            if (kind == "audio")
            {
                L("a=rtpmap:111 opus/48000/2");
                L("a=fmtp:111 minptime=10;useinbandfec=1");
                if (red)
                {
                    L("a=rtpmap:63 red/48000/2");
                    L("a=fmtp:63 111/111");
                }
                if (publish)
                {
                    L(string.Create(CultureInfo.InvariantCulture, $"a=ssrc:{audioSsrc} cname:lt"));
                }
            }
            else
            {
                L("a=rtpmap:96 VP8/90000");
                L("a=rtcp-fb:96 goog-remb");
                L("a=rtcp-fb:96 ccm fir");
                L("a=rtcp-fb:96 nack");
                L("a=rtcp-fb:96 nack pli");
                if (transportCc)
                {
                    L("a=rtcp-fb:96 transport-cc");
                }
                if (rtx)
                {
                    L("a=rtpmap:97 rtx/90000");
                    L("a=fmtp:97 apt=96");
                }
                if (publish && rids is not null)
                {
                    foreach (var rid in rids)
                    {
                        L($"a=rid:{rid} send");
                    }
                    L($"a=simulcast:send {string.Join(';', rids)}");
                }
                else if (publish)
                {
                    L(string.Create(CultureInfo.InvariantCulture, $"a=ssrc-group:FID {videoSsrc} {rtxSsrc}"));
                    L(string.Create(CultureInfo.InvariantCulture, $"a=ssrc:{videoSsrc} cname:lt"));
                    L(string.Create(CultureInfo.InvariantCulture, $"a=ssrc:{rtxSsrc} cname:lt"));
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>ICE check (nominating), then the DTLS handshake; blocks until SRTP keys exist.</summary>
    public void Connect(string answer, SrtpProtectionProfileId profile)
    {
        var parsed = SdpParser.Parse(answer);
        var serverUfrag = parsed.IceUfragOf(parsed.Media[0])!;
        var serverPwd = parsed.IcePwdOf(parsed.Media[0])!;
        _serverCredentials = (serverUfrag, serverPwd);
        var deadline = Stopwatch.StartNew();
        while (!_stunAnswered)
        {
            SendBindingRequest(serverUfrag, serverPwd);
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException("no STUN answer from the SFU");
            }
            Thread.Sleep(50);
        }
        var client = new DtlsSrtpClient(_certificate, [profile]);
        _dtls.SetDeadline(TimeSpan.FromSeconds(20));
        new DtlsClientProtocol(new SecureRandom()).Connect(client, _dtls);
        _dtls.ClearDeadline();
        _dtls.TimerActive = false;
        var keys = client.KeyingMaterial!;
        var material = SrtpKeyingMaterial.Split((SrtpProfile)(int)keys.Profile, keys.Material);
        Receive = material.CreateReceiveContext(isDtlsServer: false);
        Send = material.CreateSendContext(isDtlsServer: false);
    }

    private (string Ufrag, string Pwd)? _serverCredentials;
    private long _lastStunAt;

    /// <summary>When the server last answered a binding check (Stopwatch ticks; 0: never): ICE consent (RFC 7675) holds.</summary>
    public long LastStunAt => Volatile.Read(ref _lastStunAt);

    /// <summary>RFC 7675 consent freshness, as a browser does every few seconds: one more binding check on the selected pair.</summary>
    public void RefreshConsent()
    {
        if (_serverCredentials is { } c)
        {
            SendBindingRequest(c.Ufrag, c.Pwd);
        }
    }

    private void SendBindingRequest(string serverUfrag, string serverPwd)
    {
        Span<byte> buffer = stackalloc byte[512];
        Span<byte> transaction = stackalloc byte[12];
        RandomNumberGenerator.Fill(transaction);
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, transaction);
        writer.AddUsername($"{serverUfrag}:{_ufrag}");
        writer.AddPriority(0x6E7F00FF);
        writer.AddIceControlling(0x1234_5678_9ABC_DEF0);
        writer.AddUseCandidate();
        writer.AddMessageIntegrity(Encoding.UTF8.GetBytes(serverPwd));
        writer.AddFingerprint();
        _socket.SendTo(writer.Written, SocketFlags.None, _server);
    }

    /// <summary>Protects and sends one RTP packet (the buffer needs SRTP overhead spare). Single sending thread only.</summary>
    public void SendRtp(Span<byte> buffer, int length)
    {
        if (Send!.ProtectRtp(buffer, length, out var protectedLength) == SrtpStatus.Ok)
        {
            _socket.SendTo(buffer[..protectedLength], SocketFlags.None, _server);
        }
    }

    /// <summary>Protects and sends one RTCP packet (the buffer needs SRTCP overhead spare).</summary>
    public void SendRtcp(Span<byte> buffer, int length)
    {
        if (Send!.ProtectRtcp(buffer, length, out var protectedLength) == SrtpStatus.Ok)
        {
            _socket.SendTo(buffer[..protectedLength], SocketFlags.None, _server);
        }
    }

    /// <summary>Bytes allocated so far by this peer's receive thread (to separate the load generator's garbage from the SFU's).</summary>
    public long PumpAllocatedBytes => Interlocked.Read(ref _pumpAllocated);

    private long _pumpAllocated;

    private void Pump()
    {
        var buffer = new byte[2048];
        while (!_stopped)
        {
            Interlocked.Exchange(ref _pumpAllocated, GC.GetAllocatedBytesForCurrentThread());
            if (_detached)
            {
                // A poller reads this socket from now on; this thread stays parked until the peer is disposed.
                if (!_parked.IsSet)
                {
                    try
                    {
                        _socket.Blocking = false;
                        Poller?.Watch(this);
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                    _parked.Set();
                }
                _stopWait.Wait();
                continue;
            }
            if (_paused)
            {
                _resume.Wait(200);
                continue;
            }
            int n;
            try
            {
                n = _socket.Receive(buffer);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            if (n < 1)
            {
                continue;
            }
            Handle(buffer.AsSpan(0, n), sampled: false);
        }
    }

    /// <summary>
    /// The receive side's work on one datagram. <paramref name="sampled"/> (the poller's way): RTP is counted from its
    /// clear header and only one packet in <see cref="DecryptEvery"/> is authenticated, decrypted and timed.
    /// </summary>
    private void Handle(Span<byte> datagram, bool sampled)
    {
        var n = datagram.Length;
        var first = datagram[0];
        if (first < 4)
        {
            _stunAnswered = true;
            Volatile.Write(ref _lastStunAt, Stopwatch.GetTimestamp());
        }
        else if (first is >= 20 and <= 63)
        {
            _dtls.TryEnqueue(datagram);
        }
        else if (first is >= 128 and <= 191 && n > 1 && datagram[1] is not (>= 192 and <= 223))
        {
            var arrival = ++_rtpArrivals;
            if (arrival != DropRtpPacketNumber && DropRtpArrival?.Invoke(arrival) != true)
            {
                if (n >= 12 && (datagram[1] & 0x7F) == VideoPayloadType)
                {
                    CountVideoArrival(BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]));
                }
                if (!sampled || arrival % DecryptEvery == 0)
                {
                    OnRtp(datagram);
                }
                else if (n >= 12 + 10 && Receive is not null)
                {
                    // RFC 3711 §3.1: the RTP header is sent in the clear; its fixed part is all the count needs.
                    Interlocked.Increment(ref _received);
                }
            }
        }
        else if (first is >= 128 and <= 191 && Receive is { } rtcp)
        {
            if (rtcp.UnprotectRtcp(datagram, out var plain) != SrtpStatus.Ok)
            {
                Interlocked.Increment(ref _decryptFailures);
            }
            else
            {
                if (KeepPackets)
                {
                    RtcpLog.Enqueue(datagram[..plain].ToArray());
                }
                OnPlainRtcp?.Invoke(datagram[..plain]);
            }
        }
    }

    private void CountVideoArrival(ushort seq)
    {
        Interlocked.Increment(ref _videoArrivals);
        // Behind by up to 3,000 (RFC 3550 A.1's MAX_MISORDER) is reordering; farther is a jump (a pause's gap).
        if (_videoHighestSeq >= 0 && (short)(seq - (ushort)_videoHighestSeq) is < 0 and >= -3000)
        {
            Interlocked.Increment(ref _videoReordered);
            return;
        }
        _videoHighestSeq = seq;
    }

    /// <summary>
    /// The poller's thread: a datagram read from this peer's socket while it is paused (what its minimal buffer still
    /// held), authenticated and decrypted whatever the sampling: it keeps the receive context's index estimate (RFC 3711
    /// §3.3.1) close to the stream, however long the pause.
    /// </summary>
    internal void DeliverWhilePaused(Span<byte> datagram) => Handle(datagram, sampled: false);

    private void OnRtp(Span<byte> packet)
    {
        var receive = Receive;
        if (receive is null)
        {
            return;
        }
        if (receive.UnprotectRtp(packet, out var length) != SrtpStatus.Ok)
        {
            Interlocked.Increment(ref _decryptFailures);
            return;
        }
        var now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _received);
        Interlocked.Increment(ref _decrypted);
        if ((packet[1] & 0x7F) == VideoPayloadType)
        {
            Interlocked.Increment(ref _decryptedVideo);
        }
        if (KeepPackets)
        {
            RtpLog.Enqueue(packet[..length].ToArray());
        }
        OnPlainRtp?.Invoke(packet[..length]);
        if (RtpHeader.TryParse(packet[..length], out var header) != RtpParseError.None || header.PayloadLength < 8)
        {
            return;
        }
        var sentAt = BinaryPrimitives.ReadInt64LittleEndian(packet.Slice(header.PayloadOffset + header.PayloadLength - 8, 8));
        var index = _latencyCount;
        if (index < _latencies.Length)
        {
            _latencies[index] = now - sentAt;
            Volatile.Write(ref _latencyCount, index + 1);
        }
    }

    public void Dispose()
    {
        _stopped = true;
        Poller?.Remove(this);
        _dtls.Close();
        _resume.Set();
        _stopWait.Set();
        _pump.Join(1000);
        _socket.Dispose();
        _resume.Dispose();
        _parked.Dispose();
        _stopWait.Dispose();
        _dtls.Dispose();
        Send?.Dispose();
        Receive?.Dispose();
    }
}
