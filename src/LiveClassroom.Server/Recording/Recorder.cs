using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// Records one class. Recording ⇄ Paused → Stopped | Failed.
/// Packets and control steps go through one queue, handled by one loop, so ordering is kept and no lock is
/// needed on the hot path. The loop runs ffmpeg "parts": a part starts once the set of active tracks has
/// settled and ends on pause, on a change of tracks, on stop, or when ffmpeg dies (then a new part starts,
/// up to a restart budget). Paused time is cut out: no part runs while paused. Switching parts never blocks the
/// loop: a new ffmpeg binds its ports and the old one closes its last segment in the background.
/// </summary>
public sealed partial class Recorder : IRecordingInput, IAsyncDisposable
{
    private const int QueueCapacity = 50_000;

    private readonly ConcurrentDictionary<string, RecorderTrack> _tracks = new(StringComparer.Ordinal);
    private readonly Channel<RecorderItem> _queue = Channel.CreateBounded<RecorderItem>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Stopwatch _activeTime = new();
    private readonly RecordingOptions _options;
    private readonly RecordingStore _store;
    private readonly ILogger _logger;
    private readonly Func<Guid, bool, Task> _onEnded;
    private readonly string _nodeId;
    private readonly TimeSpan _timelineOffset;
    private readonly double _pausedBefore;
    private readonly List<Task> _chapterWrites = [];
    private readonly Task _loop;
    private volatile RecorderState _state = RecorderState.Recording;
    private long _droppedFull;

    /// <param name="onEnded">Called once the loop has ended the recording: with true when this node ended it (finalize it),
    /// false when it found the recording owned by another node (a continuation there goes on).</param>
    /// <param name="timelineOffset">Where this recorder starts on the recording's timeline (a continuation after a move).</param>
    /// <param name="pausedBefore">Paused seconds of the recording before this recorder (a continuation).</param>
    internal Recorder(Guid id, string roomId, string directory, RecordingOptions options, RecordingStore store, ILogger logger,
        string nodeId, Func<Guid, bool, Task> onEnded, TimeSpan timelineOffset = default, double pausedBefore = 0)
    {
        _nodeId = nodeId;
        _timelineOffset = timelineOffset;
        _pausedBefore = pausedBefore;
        RecordingId = id;
        RoomId = roomId;
        Directory = directory;
        _options = options;
        _store = store;
        _logger = logger;
        _onEnded = onEnded;
        System.IO.Directory.CreateDirectory(directory);
        _socket.SendBufferSize = 4 * 1024 * 1024;
        _activeTime.Start();
        _loop = Task.Run(RunAsync);
    }

    public Guid RecordingId { get; }

    public string RoomId { get; }

    public string Directory { get; }

    public RecorderState State => _state;

    /// <summary>Time on the recording's timeline: wall time since start, paused time cut out.</summary>
    public TimeSpan Elapsed => _timelineOffset + _activeTime.Elapsed;

    /// <summary>Completes when the loop has ended (stopped, failed or abandoned).</summary>
    public Task Completion => _loop;

    public event Action<string>? KeyframeNeeded;

    public void AddTrack(string trackId, MediaKind kind, RtpCodecInfo codec, TrackSource source = TrackSource.Camera)
    {
        ArgumentException.ThrowIfNullOrEmpty(trackId);
        ArgumentNullException.ThrowIfNull(codec);
        if (kind == MediaKind.Video && !codec.IsH264 && !codec.IsVp8)
        {
            throw new NotSupportedException($"video codec {codec.Name} is not recorded (H264 and VP8 are)");
        }
        if (kind == MediaKind.Audio && !codec.IsOpus)
        {
            throw new NotSupportedException($"audio codec {codec.Name} is not recorded (opus is)");
        }
        _tracks[trackId] = new RecorderTrack(trackId, kind, codec, source);
    }

    public void RemoveTrack(string trackId)
    {
        if (_tracks.TryRemove(trackId, out var track))
        {
            _queue.Writer.TryWrite(new RecorderItem(RecorderItemKind.RemoveTrack, track, null, 0, null, Environment.TickCount64));
        }
    }

    public void OnRtp(string trackId, ReadOnlySpan<byte> rtpPacket)
    {
        if (_state != RecorderState.Recording || rtpPacket.Length < 12 || rtpPacket.Length > 1600
            || !_tracks.TryGetValue(trackId, out var track))
        {
            return;
        }
        var ssrc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rtpPacket[8..]);
        if (track.SeenSsrc != ssrc)
        {
            // A new stream (the first, or a publisher back on a new connection): ask for its keyframe now, not when the
            // loop gets to this packet, which may be seconds later while a part starts on a busy machine.
            track.SeenSsrc = ssrc;
            if (track.Kind == MediaKind.Video)
            {
                KeyframeNeeded?.Invoke(trackId);
            }
        }
        var buffer = ArrayPool<byte>.Shared.Rent(rtpPacket.Length);
        rtpPacket.CopyTo(buffer);
        if (!_queue.Writer.TryWrite(new RecorderItem(RecorderItemKind.Packet, track, buffer, rtpPacket.Length, null, Environment.TickCount64)))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Interlocked.Increment(ref _droppedFull);
        }
    }

    public void AddChapter(ChapterType type, string? labelZh = null, string? labelEn = null)
    {
        if (_state is RecorderState.Stopped or RecorderState.Failed)
        {
            return;
        }
        var (zh, en) = ChapterLabels.Default(type);
        var offset = Elapsed.TotalSeconds;
        var write = _store.AddChapterAsync(RecordingId, offset, ChapterLabels.Code(type), Clip(labelZh) ?? zh, Clip(labelEn) ?? en);
        lock (_chapterWrites)
        {
            _chapterWrites.Add(write);
        }
    }

    public Task PauseAsync() => ControlAsync(RecorderItemKind.Pause);

    public Task ResumeAsync() => ControlAsync(RecorderItemKind.Resume);

    /// <summary>Ends the recording: the last part is closed, the row goes to "finalizing", the finalize job is queued.</summary>
    public async Task StopAsync()
    {
        await ControlAsync(RecorderItemKind.Stop);
        await _loop;
    }

    /// <summary>
    /// This node shuts down while the class goes on: the parts are closed cleanly and the recording is left running with
    /// its lease given up, for the node the class moves to (<see cref="RecordingService.ContinueAsync"/>).
    /// </summary>
    public async Task HandOffAsync()
    {
        await ControlAsync(RecorderItemKind.HandOff);
        await _loop;
    }

    /// <summary>
    /// Simulates the node dying (tests, and process shutdown without a stop): the ffmpeg child is killed,
    /// nothing more is written to the database; start-up recovery on the next start finalizes the segments.
    /// </summary>
    internal async Task AbandonAsync()
    {
        _abandoned = true;
        _queue.Writer.TryComplete();
        _current?.Process.Kill();
        KillRetiring();
        await _loop;
    }

    /// <summary>The running part's ffmpeg (tests kill it to simulate a crash).</summary>
    internal FfmpegProcess? CurrentFfmpeg => _current?.Process;

    internal long DroppedPackets => Interlocked.Read(ref _droppedFull);

    public async ValueTask DisposeAsync()
    {
        if (!_loop.IsCompleted)
        {
            await AbandonAsync();
        }
        _socket.Dispose();
    }

    private async Task ControlAsync(RecorderItemKind kind)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            if (!_queue.Writer.TryWrite(RecorderItem.Control(kind, done)))
            {
                await _queue.Writer.WriteAsync(RecorderItem.Control(kind, done));
            }
        }
        catch (ChannelClosedException)
        {
            return;
        }
        await Task.WhenAny(done.Task, _loop);
    }

    private static string? Clip(string? s) =>
        string.IsNullOrWhiteSpace(s) ? null : s.Trim().Length > 200 ? s.Trim()[..200] : s.Trim();
}
