using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Sfu;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media;

/// <summary>
/// The SFU node: one UDP port (ICE-lite, DTLS-SRTP, RTP/RTCP demultiplexed), one DTLS certificate, many rooms.
/// Threading: media runs on the transport's worker threads (one SO_REUSEPORT socket each, <see cref="MediaServerOptions.Workers"/>),
/// a large room's fan-out also on the fan-out lanes, DTLS handshakes on their own threads, RTCP reports and
/// consent checks on a timer thread; public methods are thread-safe. Events are raised one at a time, in order,
/// on a dedicated dispatcher task — never on the packet thread and never under a room's lock.
/// </summary>
public sealed partial class MediaServer : IDisposable, ISfuEvents
{
    private readonly UdpTransport _transport;
    private readonly FanOutPool? _fanOut;
    private readonly DtlsCertificate _certificate;
    private readonly MediaServerOptions _options;
    private readonly ConcurrentDictionary<string, SfuRoom> _rooms = new(StringComparer.Ordinal);
    private readonly Channel<Action> _events = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _timer;
    private readonly Task _dispatcher;
    private readonly CancellationTokenSource _stopping = new();

    public MediaServer(MediaServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RetransmissionCacheSize < 16 || (options.RetransmissionCacheSize & (options.RetransmissionCacheSize - 1)) != 0)
        {
            throw new ArgumentException("RetransmissionCacheSize must be a power of two, at least 16", nameof(options));
        }
        if (options.RetransmissionCacheBytes < PacketCache.MaxPacketSize || options.MaxIncomingStreamsPerPeer < 1 || options.MaxMediaSections < 1
            || options.StreamReplaceAfter < TimeSpan.Zero)
        {
            throw new ArgumentException("RetransmissionCacheBytes must hold a packet; stream and m-section limits must be positive", nameof(options));
        }
        if (options.Workers < 1 || options.Workers > 1024)
        {
            throw new ArgumentException("Workers must be between 1 and 1024", nameof(options));
        }
        if (options.ReceiveBatch < 1 || options.ReceiveBatch > 256)
        {
            throw new ArgumentException("ReceiveBatch must be between 1 and 256", nameof(options));
        }
        _options = options;
        _certificate = DtlsCertificate.Generate();
        _transport = new UdpTransport(new UdpTransportOptions
        {
            BindAddress = options.BindAddress,
            Port = options.Port,
            AdvertisedAddresses = options.AdvertisedAddresses,
            TcpPort = options.TcpPort,
            Workers = options.Workers,
            ReceiveBatch = options.ReceiveBatch,
        });
        _transport.Start();
        if (_transport.Workers > 1)
        {
            _fanOut = new FanOutPool(_transport.Workers - 1);
        }
        _timer = new Thread(TimerLoop) { IsBackground = true, Name = "sfu-timer" };
        _timer.Start();
        _dispatcher = Task.Run(DispatchAsync);
        MediaMetrics.Add(this);
    }

    /// <summary>A peer finished ICE + DTLS: media can flow.</summary>
    public event EventHandler<MediaPeerEventArgs>? PeerConnected;

    /// <summary>A peer left: removed, ICE consent expired, DTLS failed (e.g. fingerprint mismatch) or closed by the browser.</summary>
    public event EventHandler<MediaPeerEventArgs>? PeerGone;

    public event EventHandler<MediaTrackEventArgs>? TrackPublished;

    public event EventHandler<MediaTrackEventArgs>? TrackUnpublished;

    /// <summary>A subscriber's video paused or resumed for its bandwidth (audio-first), or moved to another layer.</summary>
    public event EventHandler<MediaQualityEventArgs>? MediaQualityChanged;

    /// <summary>The bound UDP endpoint (useful with port 0).</summary>
    public IPEndPoint LocalEndPoint => _transport.LocalEndPoint;

    /// <summary>The SHA-256 fingerprint of the server's DTLS certificate, as written in answers.</summary>
    public string Fingerprint => _certificate.Fingerprint;

    public MediaServerOptions Options => _options;

    private (IReadOnlyList<IPEndPoint> Udp, IReadOnlyList<IPEndPoint> Tcp) Candidates() =>
        (_options.AdvertiseUdp ? _transport.AdvertisedEndPoints : [], _transport.AdvertisedTcpEndPoints);

    /// <summary>The bound ICE-TCP endpoint, if enabled.</summary>
    public IPEndPoint? TcpLocalEndPoint => _transport.TcpLocalEndPoint;

    /// <summary>Creates the room, or returns the existing one with that id.</summary>
    public MediaRoom CreateRoom(string roomId)
    {
        ArgumentException.ThrowIfNullOrEmpty(roomId);
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        var room = _rooms.GetOrAdd(roomId, id => new SfuRoom(id, _transport, _certificate, _options, this, Candidates) { FanOut = _fanOut });
        return new MediaRoom(room);
    }

    /// <summary>The ids of the rooms open now.</summary>
    public IReadOnlyList<string> RoomIds => [.. _rooms.Keys];

    public MediaRoom? GetRoom(string roomId) => _rooms.TryGetValue(roomId, out var room) ? new MediaRoom(room) : null;

    /// <summary>Closes the room: every peer is removed (PeerGone fires for each).</summary>
    public bool CloseRoom(string roomId)
    {
        if (!_rooms.TryRemove(roomId, out var room))
        {
            return false;
        }
        room.Dispose();
        return true;
    }

    internal UdpTransport Transport => _transport;

    /// <summary>Counters for test failure messages: transport totals and drops, then each room's peers.</summary>
    internal string Diagnostics()
    {
        var c = _transport.Counters;
        var text = new System.Text.StringBuilder();
        text.Append($"transport rx={c.PacketsReceived} tx={c.PacketsSent} sendErrors={c.SendErrors}");
        foreach (var reason in Enum.GetValues<TransportDropReason>())
        {
            if (c.Dropped(reason) > 0)
            {
                text.Append($" drop.{reason}={c.Dropped(reason)}");
            }
        }
        foreach (var room in _rooms.Values)
        {
            text.Append(" | ").Append(room.Diagnostics());
        }
        return text.ToString();
    }

    void ISfuEvents.PeerConnected(string roomId, string peerId) =>
        Post(() => PeerConnected?.Invoke(this, new MediaPeerEventArgs(roomId, peerId)));

    void ISfuEvents.PeerGone(string roomId, string peerId, string reason) =>
        Post(() => PeerGone?.Invoke(this, new MediaPeerEventArgs(roomId, peerId, reason)));

    void ISfuEvents.TrackPublished(string roomId, PublishedTrack track)
    {
        var args = new MediaTrackEventArgs(roomId, track.Publisher.Id, track.Mid, track.Kind, track.Codec, track.Rids);
        Post(() => TrackPublished?.Invoke(this, args));
    }

    void ISfuEvents.TrackUnpublished(string roomId, PublishedTrack track)
    {
        var args = new MediaTrackEventArgs(roomId, track.Publisher.Id, track.Mid, track.Kind, track.Codec, track.Rids);
        Post(() => TrackUnpublished?.Invoke(this, args));
    }

    void ISfuEvents.MediaQualityChanged(string roomId, string peerId, bool videoPaused, string? layer, long estimatedBitrateBps)
    {
        var args = new MediaQualityEventArgs(roomId, peerId, videoPaused, layer, estimatedBitrateBps);
        Post(() => MediaQualityChanged?.Invoke(this, args));
    }

    private void Post(Action action) => _events.Writer.TryWrite(action);

    private async Task DispatchAsync()
    {
        await foreach (var action in _events.Reader.ReadAllAsync())
        {
            try
            {
                action();
            }
#pragma warning disable CA1031 // A subscriber's exception must not stop event delivery for the others.
            catch (Exception)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _eventHandlerErrors);
            }
        }
    }

    private long _eventHandlerErrors;

    public long EventHandlerErrors => Interlocked.Read(ref _eventHandlerErrors);

    private void TimerLoop()
    {
        while (!_stopping.Token.WaitHandle.WaitOne(100))
        {
            foreach (var room in _rooms.Values)
            {
                room.Tick();
            }
        }
    }

    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        foreach (var id in _rooms.Keys)
        {
            CloseRoom(id);
        }
        _stopping.Cancel();
        _timer.Join(TimeSpan.FromSeconds(2));
        _events.Writer.TryComplete();
        _dispatcher.Wait(TimeSpan.FromSeconds(2));
        MediaMetrics.Remove(this);
        _transport.Dispose();
        _fanOut?.Dispose();
        _stopping.Dispose();
    }
}
