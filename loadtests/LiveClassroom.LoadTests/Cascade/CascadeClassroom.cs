using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using HdrHistogram;
using LiveClassroom.LoadTests.Cluster;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Rtp;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// A synthetic classroom as the projector page behaves: a hub connection (JoinClass, then Negotiate with the receive
/// slots main-audio and main), and the media peer the answer points to (whichever node the class placed it on: the
/// answer's candidate). Receive-only, with REMB steering the SFU to one simulcast layer as a classroom link would. Its
/// peer is replaced — a fresh offer through the hub, like the page's rebuilt peer connection — when the class says its
/// media node is lost (<c>MediaNodeLost</c>) or, as the page's own fallback, after 5.5 s without a packet or an answer
/// to its ICE consent checks (Chrome's ~2.5 s to "disconnected" plus the page's 3 s grace; a peer whose server answers
/// its checks stays "connected" however long no media comes, so the page does not replace it). Like the page's ClassConnection it keeps the part of the class
/// snapshot that says whether the class still counts it connected (<see cref="ClassSelfWatch"/>): dropped (a new
/// activation of the class grain marks everyone reconnecting), or after a hub reconnect, it joins again and renegotiates
/// (CascadeClassroom.Recovery.cs). States: joining → connected ⇄ replacing / rejoining; stopped.
/// </summary>
internal sealed partial class CascadeClassroom : IAsyncDisposable
{
    public static readonly TimeSpan SilenceFallback = TimeSpan.FromSeconds(5.5);
    private static readonly TimeSpan ReplaceBudget = TimeSpan.FromSeconds(90);

    private readonly string _classId;
    private readonly DtlsCertificate _certificate;
    private readonly SrtpProtectionProfileId _profile;
    private readonly Func<int, BenchNode?> _nodeByMediaPort;
    private readonly IReadOnlyList<BenchNode> _nodes;
    private readonly Lock _gate = new();
    private HubConnection? _hub;
    private SyntheticPeer? _peer;
    private SyntheticPeer? _incoming;
    private LongHistogram _latency = NewHistogram();
    private readonly StreamCounter _audio = new();
    private readonly StreamCounter _video = new();
    private volatile bool _stopped;
    private long _lastRtpAt;
    private long _connectedAt;
    private uint _videoSsrc;

    public CascadeClassroom(int index, BenchIdentity identity, string classId, DtlsCertificate certificate, SrtpProtectionProfileId profile,
        long? rembBps, Func<int, BenchNode?> nodeByMediaPort, IReadOnlyList<BenchNode> nodes)
    {
        _nodes = nodes;
        Index = index;
        Identity = identity;
        RembBps = rembBps;
        _classId = classId;
        _certificate = certificate;
        _profile = profile;
        _nodeByMediaPort = nodeByMediaPort;
    }

    public int Index { get; }

    /// <summary>Reads this classroom's sockets once each peer is connected (null: each peer's own thread does).</summary>
    public SubscriberPoller? Poller { get; init; }

    public BenchIdentity Identity { get; }

    /// <summary>The REMB this classroom reports (null: none, so the SFU keeps it on the highest layer).</summary>
    public long? RembBps { get; }

    /// <summary>The node the media peer is on now (from the answer's candidate).</summary>
    public BenchNode? MediaNode { get; private set; }

    public bool Connected => _peer is not null && MediaNode is not null;

    /// <summary>Latencies are recorded only while true (the measured window).</summary>
    public bool Measuring { get; set; }

    /// <summary>When the class's <c>MediaNodeLost</c> naming this classroom arrived (Stopwatch ticks; 0: not yet).</summary>
    public long NodeLostEventAt { get; private set; }

    /// <summary>Why the first replacement since <see cref="ResetRecovery"/> started: "event" (MediaNodeLost), "silence" (the page's own fallback), "rejoin" (the class counted it dropped) or "hub reconnect".</summary>
    public string? ReplacedBecause { get; private set; }

    /// <summary>When a peer made after the latest replacement request received its first video keyframe packet (Stopwatch ticks; 0: not yet).</summary>
    public long VideoBackAt { get; private set; }

    public Exception? LastError { get; private set; }

    /// <summary>When the last successful Negotiate's answer arrived (Stopwatch ticks).</summary>
    public long AnsweredAt { get; private set; }

    /// <summary>How long the last successful Negotiate took from the call to its answer (Stopwatch ticks): the class grain's queue and turn.</summary>
    public long NegotiateCallTicks { get; private set; }

    /// <summary>Offers the last replacement sent (1: the first was answered; more: refused or timed out and tried again after a back-off).</summary>
    public int ReplaceAttempts { get; private set; }

    public int Replacements { get; private set; }

    /// <summary>Negotiate calls sent (answered, refused or timed out).</summary>
    public int Offers { get; private set; }

    /// <summary>When the last Negotiate was sent (Stopwatch ticks).</summary>
    public long LastOfferAt { get; private set; }

    private readonly List<long> _offerTimes = [];

    /// <summary>When the first Negotiate after <paramref name="at"/> was sent (Stopwatch ticks; 0: none).</summary>
    public long FirstOfferAfter(long at)
    {
        lock (_offerTimes)
        {
            foreach (var t in _offerTimes)
            {
                if (t > at)
                {
                    return t;
                }
            }
            return 0;
        }
    }

    /// <summary>Set while an edge kill is measured: every event message this classroom receives is counted and timed there.</summary>
    public EventLag? Lag { get; set; }

    /// <summary>Class event messages this classroom received (RoomEvent, each carrying one event, or a batch).</summary>
    public long EventMessages => Interlocked.Read(ref _eventMessages);

    /// <summary>Event messages received while the last successful Negotiate was waiting for its answer (they share its connection).</summary>
    public long MessagesDuringNegotiate { get; private set; }

    /// <summary>When the last successful Negotiate's answer arrived: how old the newest class event received by then was at its arrival (s).</summary>
    public double StreamLagAtAnswer { get; private set; }

    private long _eventMessages;

    /// <summary>The node the current offer's answer pointed to (null until it came).</summary>
    private volatile string? _answeredBy;
    private double _lastEventLag;

    public async Task JoinAsync(BenchNode hubNode, CancellationToken ct)
    {
        var hub = await StartHubAsync(hubNode, ct);
        // As the page: a join or an offer the class cannot take now (busy, "unavailable") is tried again.
        await RetryAsync(async () =>
        {
            await JoinClassAsync(hub, ct);
            return default(JsonElement);
        }, ct);
        await RetryAsync(async () =>
        {
            await NegotiateAsync(ct);
            return default(JsonElement);
        }, ct);
        _spare = DtlsCertificate.Generate("cascade-classroom");
    }

    /// <summary>
    /// The first peers share the benchmark's certificate (each has its own peer id); every later peer has a fresh one, as
    /// a browser's new RTCPeerConnection does. That matters: the SFU tells a new association for a known peer id (the old
    /// peer may still be in a room the class forgot, after its grain activated again) by its new fingerprint; the same
    /// fingerprint with new ICE credentials is an ICE restart of the old association, whose DTLS is already done.
    /// </summary>
    private DtlsCertificate NextCertificate()
    {
        if (!_firstPeerMade)
        {
            _firstPeerMade = true;
            return _certificate;
        }
        var certificate = Interlocked.Exchange(ref _spare, null) ?? DtlsCertificate.Generate("cascade-classroom");
        _ = Task.Run(() => Interlocked.CompareExchange(ref _spare, DtlsCertificate.Generate("cascade-classroom"), null));
        return certificate;
    }

    private DtlsCertificate? _spare;
    private bool _firstPeerMade;

    /// <summary>Retries on the hub's refusals and time-outs with the page's back-off (1 s, 2 s, 4 s, 8 s, then 10 s) until <paramref name="ct"/>.</summary>
    private async Task<JsonElement> RetryAsync(Func<Task<JsonElement>> call, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ex is HubException or TimeoutException && !ct.IsCancellationRequested)
            {
                LastError = ex;
                Retries++;
                await Task.Delay(RetryDelay(attempt), ct);
            }
        }
    }

    /// <summary>The page's back-off between negotiation retries (MediaSession.retryDelayMs): 1 s, 2 s, 4 s, 8 s, then every 10 s.</summary>
    private static TimeSpan RetryDelay(int attempt) => TimeSpan.FromMilliseconds(Math.Min(10_000, 1000 * Math.Pow(2, Math.Max(0, attempt - 1))));

    /// <summary>Times the hub connection dropped and reconnected by itself.</summary>
    public int HubReconnects { get; private set; }

    /// <summary>Joins and offers the class refused for the moment and this classroom tried again.</summary>
    public int Retries { get; private set; }

    /// <summary>Offer → hub Negotiate → the answer's node → ICE and DTLS there; the new peer replaces the old one.</summary>
    private async Task NegotiateAsync(CancellationToken ct)
    {
        var peer = new SyntheticPeer(NextCertificate(), new IPEndPoint(IPAddress.Loopback, 9), 1);
        var created = Stopwatch.GetTimestamp();
        _answeredBy = null;
        try
        {
            var offer = peer.Offer(false, 0, 0, 0);
            var description = new
            {
                publish = new { },
                receiveSlots = new[] { new { name = "main-audio", mid = "0" }, new { name = "main", mid = "1" } },
            };
            var asked = Stopwatch.GetTimestamp();
            _offerSentUtc = DateTimeOffset.UtcNow;
            Offers++;
            LastOfferAt = asked;
            lock (_offerTimes)
            {
                _offerTimes.Add(asked);
            }
            var messagesBefore = EventMessages;
            var result = await _hub!.InvokeCoreAsync<JsonElement>("Negotiate", [_classId, offer, description], ct);
            AnsweredAt = Stopwatch.GetTimestamp();
            NegotiateCallTicks = AnsweredAt - asked;
            MessagesDuringNegotiate = EventMessages - messagesBefore;
            StreamLagAtAnswer = Volatile.Read(ref _lastEventLag);
            var answer = result.GetProperty("sdpAnswer").GetString()!;
            AnsweredSequence(result);
            peer.Server = AnswerTarget.Parse(answer);
            var port = peer.Server.Port;
            _answeredBy = _nodeByMediaPort(port)?.Name ?? $"port {port}";
            // Packets of this peer count from its first one (a keyframe may arrive before it replaces the old peer);
            // the old peer's (still fed by a route the class no longer knows) no longer count once it is replaced.
            lock (_gate)
            {
                _incoming = peer;
            }
            peer.OnPlainRtp = packet => OnRtp(peer, created, packet);
            // ICE and DTLS block until done: on a thread of their own, so 200 handshakes at once do not hold the thread
            // pool that every classroom's hub answers and events are handled on (a page has its own browser).
            // Once connected, a poller thread reads it: 600 threads woken for every packet starve two cores.
            await Task.Factory.StartNew(() =>
            {
                peer.Connect(answer, _profile);
                Poller?.HandOver(peer);
            }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            SyntheticPeer? old;
            lock (_gate)
            {
                old = _peer;
                _peer = peer;
                _incoming = null;
                _audio.Reset();
                _video.Reset();
                _videoSsrc = 0;
                MediaNode = _nodeByMediaPort(port);
                _connectedAt = Stopwatch.GetTimestamp();
                Volatile.Write(ref _lastRtpAt, _connectedAt);
            }
            old?.Dispose();
        }
        catch
        {
            lock (_gate)
            {
                if (_incoming == peer)
                {
                    _incoming = null;
                }
            }
            peer.Dispose();
            throw;
        }
    }

    private void OnRoomEvent(JsonElement e)
    {
        Interlocked.Increment(ref _eventMessages);
        Lag?.Message(1);
        OnClassEvent(e);
        Follow(_self.Event(e));
    }

    /// <summary>One state write's events as one message (docs/HUB.md, <c>RoomEvents</c>): each taken in turn, as the page does.</summary>
    private void OnRoomEvents(JsonElement batch)
    {
        Interlocked.Increment(ref _eventMessages);
        var events = batch.GetProperty("events");
        Lag?.Message(events.GetArrayLength());
        foreach (var e in events.EnumerateArray())
        {
            OnClassEvent(e);
        }
        Follow(_self.Batch(batch));
    }

    private void OnClassEvent(JsonElement e)
    {
        var type = e.GetProperty("type").GetString();
        var at = e.GetProperty("at").GetDateTimeOffset();
        Volatile.Write(ref _lastEventLag, (DateTimeOffset.UtcNow - at).TotalSeconds);
        if (Lag is { } lag)
        {
            lag.Event(type, at);
            if (type == "MediaChanged" && lag.WantsSample)
            {
                lag.Sample(e.GetRawText().Length);
            }
        }
        if (type != "MediaNodeLost")
        {
            return;
        }
        foreach (var id in e.GetProperty("payload").GetProperty("principalIds").EnumerateArray())
        {
            if (id.GetString() == Identity.PrincipalId)
            {
                NodeLostEventAt = Stopwatch.GetTimestamp();
                _lostEmittedAt = at;
                // LiveClass: MediaNodeLost naming this page → media.reconnect(), a fresh peer connection at once, unless
                // the current peer was answered after the event (its sequence at or below the answer's; issue #17).
                if (NodeLost(e.GetProperty("seq").GetInt64()))
                {
                    RequestReplace("event");
                }
                return;
            }
        }
    }

    // On the peer's receive thread.
    private void OnRtp(SyntheticPeer peer, long created, ReadOnlySpan<byte> packet)
    {
        var now = Stopwatch.GetTimestamp();
        if (peer != _peer && peer != _incoming)
        {
            return;
        }
        Volatile.Write(ref _lastRtpAt, now);
        if (RtpHeader.TryParse(packet, out var header) != RtpParseError.None || header.PayloadLength < 10)
        {
            return;
        }
        var payload = packet.Slice(header.PayloadOffset, header.PayloadLength);
        var sentAt = BinaryPrimitives.ReadInt64LittleEndian(payload[^8..]);
        lock (_gate)
        {
            var video = header.PayloadType == 96;
            (video ? _video : _audio).Add(header.SequenceNumber);
            if (video)
            {
                _videoSsrc = header.Ssrc;
                // Video back: a keyframe on a peer made after the latest replacement was asked for.
                if (VideoBackAt == 0 && ReplacedBecause is not null && created >= _replaceRequestedAt && IsKeyframeStart(payload))
                {
                    VideoBackAt = now;
                }
            }
            if (Measuring && sentAt > 0 && now > sentAt)
            {
                _latency.RecordValue(Math.Min((now - sentAt) * 1_000_000 / Stopwatch.Frequency, 60_000_000));
            }
        }
    }
    // RFC 7741 §4.2: the payload descriptor (X, S bits; optional I/L/T/K fields), then the VP8 header's P bit (0: key frame).
    private static bool IsKeyframeStart(ReadOnlySpan<byte> payload)
    {
        if ((payload[0] & 0x10) == 0)
        {
            return false;
        }
        var i = 1;
        if ((payload[0] & 0x80) != 0)
        {
            var flags = payload[i++];
            if ((flags & 0x80) != 0)
            {
                i += (payload[i] & 0x80) != 0 ? 2 : 1;
            }
            if ((flags & 0x40) != 0)
            {
                i++;
            }
            if ((flags & 0x30) != 0)
            {
                i++;
            }
        }
        return i < payload.Length && (payload[i] & 0x01) == 0;
    }

    /// <summary>Starts a measured window: latency and loss counted from now.</summary>
    public void BeginWindow()
    {
        lock (_gate)
        {
            _latency = NewHistogram();
            _audio.Reset();
            _video.Reset();
            Measuring = true;
        }
    }

    /// <summary>Ends the window: its latencies (µs), packets received and packets missing (sequence gaps), video packets received.</summary>
    public (LongHistogram Latency, long Received, long Missing, long Video) EndWindow()
    {
        lock (_gate)
        {
            Measuring = false;
            return (_latency, _audio.Received + _video.Received, _audio.Missing + _video.Missing, _video.Received);
        }
    }

    /// <summary>
    /// Every second, from the benchmark's timer: REMB (if set) and RFC 7675 consent every 5th call, or every call while no
    /// media arrives (Chrome checks a quiet pair every 2.5 s, and counts it "disconnected" only when nothing, media or
    /// check answers, has come for 2.5 s: see <see cref="CheckSilence"/>).
    /// </summary>
    public void Tick(int round)
    {
        var peer = _peer;
        if (peer?.Send is null)
        {
            return;
        }
        try
        {
            if (round % 5 == 0 || Stopwatch.GetTimestamp() - Volatile.Read(ref _lastRtpAt) > Stopwatch.Frequency)
            {
                peer.RefreshConsent();
            }
            if (RembBps is { } bps)
            {
                Span<byte> buffer = stackalloc byte[64];
                var length = WriteRemb(buffer, 0x0C1A_0000u + (uint)Index, (ulong)bps, _videoSsrc);
                peer.SendRtcp(buffer, length);
            }
        }
        catch (ObjectDisposedException)
        {
            // Replaced and disposed since it was read above: its successor is ticked next time.
        }
    }

    // draft-alvestrand-rmcat-remb-03 §2.2: PSFB (206) FMT 15, media SSRC 0, "REMB", 1 SSRC, exponent and mantissa.
    private static int WriteRemb(Span<byte> buffer, uint senderSsrc, ulong bps, uint ssrc)
    {
        var exponent = 0;
        while ((bps >> exponent) > 0x3FFFF)
        {
            exponent++;
        }
        var mantissa = (uint)(bps >> exponent);
        buffer[0] = 0x80 | 15;
        buffer[1] = 206;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 5);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], 0);
        "REMB"u8.CopyTo(buffer[12..]);
        buffer[16] = 1;
        buffer[17] = (byte)((exponent << 2) | (int)(mantissa >> 16));
        buffer[18] = (byte)(mantissa >> 8);
        buffer[19] = (byte)mantissa;
        BinaryPrimitives.WriteUInt32BigEndian(buffer[20..], ssrc);
        return 24;
    }

    private static LongHistogram NewHistogram() => new(1, 60_000_000, 2);

    public void Stop() => _stopped = true;

    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        _peer?.Dispose();
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }
    }
}
