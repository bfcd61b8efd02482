using System.Globalization;
using System.Threading.Channels;

namespace LiveClassroom.Server.Recording;

public sealed partial class Recorder
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private const long DrainMarginMs = 300;
    private static readonly TimeSpan BindDeadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan BacklogStall = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BacklogCap = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan BacklogPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>Parts whose ffmpeg is being stopped in the background; locked (an abandon kills them from another thread).</summary>
    private readonly List<(RecordingPart Part, Task Stopped)> _retiring = [];

    /// <summary>Starts ffmpeg for the active tracks; null when there is nothing to record or the recording failed.</summary>
    private async Task<RecordingPart?> StartPartAsync()
    {
        var active = _tracks.Values.Where(t => t.Active && !t.Removed)
            .OrderBy(t => t.Kind).ThenBy(t => t.Source).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
        if (active.Count == 0)
        {
            return null;
        }
        var free = FreeMegabytes();
        if (free is { } mb && mb < _options.MinFreeMegabytes)
        {
            await FailAsync(string.Create(CultureInfo.InvariantCulture,
                $"disk full (ENOSPC): only {mb} MB free under the recordings root (minimum {_options.MinFreeMegabytes} MB)"));
            return null;
        }

        // The number comes from the row, and only while this node owns the recording: a node that lost it to a
        // continuation elsewhere starts nothing more (two nodes never write one part folder).
        if (await _store.ReservePartAsync(RecordingId, _nodeId) is not { } number)
        {
            LogOwnershipLost(_logger, RecordingId, _nodeId);
            _abandoned = true;
            _queue.Writer.TryComplete();
            return null;
        }
        var directory = Path.Combine(Directory, RecordingPaths.PartName(number));
        System.IO.Directory.CreateDirectory(directory);
        var tracks = new List<PartTrack>(active.Count);
        var videoPt = 96;
        var audioPt = 111;
        for (var i = 0; i < active.Count; i++)
        {
            var t = active[i];
            tracks.Add(new PartTrack(t, i, PortAllocator.AllocatePair(), t.Kind == MediaKind.Video ? videoPt++ : audioPt++));
        }
        var sdpPath = Path.Combine(directory, RecordingPaths.SessionSdp);
        await File.WriteAllTextAsync(sdpPath, SessionDescription.Build(tracks));
        var process = FfmpegProcess.Start(_options.FfmpegPath, PartArguments.Build(tracks, sdpPath, directory, _options), directory);
        var part = new RecordingPart(number, directory, tracks, process);
        _partCount++;
        _current = part;
        _lastPart = part;
        _ = process.Exited.ContinueWith(
            _ => _queue.Writer.TryWrite(RecorderItem.Control(RecorderItemKind.PartExited, part)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        // Packets sent before ffmpeg binds its ports would be lost: they wait in the part until it has (PartBound),
        // while the loop goes on. The publisher is asked for a keyframe now, so it is on its way meanwhile.
        part.Binding = WaitBoundAsync(part);
        _ = AnnounceBoundAsync(part);
        var now = Environment.TickCount64;
        foreach (var t in tracks)
        {
            if (t.Track.Kind == MediaKind.Video)
            {
                AskKeyframe(t.Track, now);
            }
        }
        await _store.SetPartAsync(RecordingId, _nodeId, process.Id, tracks.Any(t => t.Track.Kind == MediaKind.Video));
        LogPartStarted(_logger, RecordingId, number, tracks.Count, process.Id);
        return part;
    }

    /// <summary>
    /// Ends the running part without waiting: the packets still at its gate go out first (the part holds everything it
    /// was given), then its ffmpeg is stopped in the background, so the loop goes on feeding the next part meanwhile.
    /// </summary>
    private void RetireCurrentPart()
    {
        var part = _current;
        if (part is null)
        {
            return;
        }
        _current = null;
        foreach (var p in part.Pending)
        {
            Send(part, p);
        }
        part.Pending.Clear();
        // What waited for ffmpeg to bind goes to the next part instead, ahead of what arrived since.
        _settling.InsertRange(0, part.Unbound);
        part.Unbound.Clear();
        // ffmpeg still holds what arrived behind a lost packet until it gives the packet up: stopping it before then
        // would lose the part's last seconds (SequenceGaps).
        var drainUntil = part.Tracks.Max(t => t.Gaps.DrainDeadline(Environment.TickCount64));
        var stopped = Task.Run(() => StopProcessAsync(part, drainUntil));
        lock (_retiring)
        {
            _retiring.RemoveAll(r => r.Stopped.IsCompleted);
            _retiring.Add((part, stopped));
        }
    }

    /// <summary>Ends the running part and waits until every part's ffmpeg has closed its last segment.</summary>
    private async Task StopPartsAsync()
    {
        if (_current is { Bound: false } starting)
        {
            // A part still starting (a slow machine) gets what waited for it before it stops: the class's last
            // seconds belong in it, and ffmpeg stopped before it has read anything writes nothing at all.
            await starting.Binding;
            if (_current == starting)
            {
                OnPartBound(starting);
            }
        }
        RetireCurrentPart();
        Task[] stopping;
        lock (_retiring)
        {
            stopping = [.. _retiring.Select(r => r.Stopped)];
            _retiring.Clear();
        }
        await Task.WhenAll(stopping);
    }

    private void KillRetiring()
    {
        lock (_retiring)
        {
            foreach (var (part, _) in _retiring)
            {
                part.Process.Kill();
            }
        }
    }

    /// <summary>Polls (bounded) until ffmpeg has bound every port of the part (or exited); then the loop may feed it (PartBound).</summary>
    private static async Task WaitBoundAsync(RecordingPart part)
    {
        var deadline = Environment.TickCount64 + (long)BindDeadline.TotalMilliseconds;
        while (!part.Process.Exited.IsCompleted && Environment.TickCount64 < deadline)
        {
            var bound = PortAllocator.BoundUdpPorts();
            if (part.Tracks.All(t => bound.Contains(t.Port)))
            {
                break;
            }
            await Task.WhenAny(part.Process.Exited, Task.Delay(20));
        }
    }

    private async Task AnnounceBoundAsync(RecordingPart part)
    {
        await part.Binding;
        try
        {
            await _queue.Writer.WriteAsync(RecorderItem.Control(RecorderItemKind.PartBound, part));
        }
        catch (ChannelClosedException)
        {
            // The recorder has ended.
        }
    }

    private async Task StopProcessAsync(RecordingPart part, long drainUntil)
    {
        var drain = drainUntil - Environment.TickCount64;
        if (drain > 0)
        {
            // A margin for ffmpeg to be scheduled and write out what it released.
            LogPartDraining(_logger, RecordingId, part.Number, drain);
            await Task.WhenAny(part.Process.Exited, Task.Delay(TimeSpan.FromMilliseconds(drain + DrainMarginMs)));
        }
        await WaitBacklogReadAsync(part);
        var code = await part.Process.StopAsync(StopGrace);
        LogPartStopped(_logger, RecordingId, part.Number, code);
        part.Process.Dispose();
    }

    /// <summary>
    /// ffmpeg reads its sockets one packet at a time, always from the first of its streams that has one queued (the SDP's
    /// order): on a node too busy to schedule it (CI at load 13–59 measured it) it falls behind, the kernel keeps what it
    /// has not read (4 MiB buffers, no drops seen), and one stream may wait behind the other for the rest of the part — a
    /// returning publisher's part got its sound and not one of the keyframes it was sent, all still queued at the stop.
    /// A SIGTERM then drops the whole backlog. So a part is stopped only once its ffmpeg has read what was sent to it,
    /// bounded: as long as the backlog shrinks (up to <see cref="BacklogCap"/>), never more than
    /// <see cref="BacklogStall"/> without progress (a hung ffmpeg).
    /// </summary>
    private async Task WaitBacklogReadAsync(RecordingPart part)
    {
        var ports = new List<int>(part.Tracks.Count * 2);
        foreach (var t in part.Tracks)
        {
            ports.Add(t.Port);
            ports.Add(t.Port + 1);
        }
        var started = Environment.TickCount64;
        var progressAt = started;
        var least = long.MaxValue;
        var first = -1L;
        while (!part.Process.Exited.IsCompleted)
        {
            var queued = PortAllocator.QueuedBytes(ports);
            var now = Environment.TickCount64;
            if (first < 0)
            {
                first = queued;
            }
            if (queued == 0)
            {
                break;
            }
            if (queued < least)
            {
                least = queued;
                progressAt = now;
            }
            if (now - progressAt > BacklogStall.TotalMilliseconds || now - started > BacklogCap.TotalMilliseconds)
            {
                LogBacklogLeft(_logger, RecordingId, part.Number, queued, now - started);
                return;
            }
            await Task.WhenAny(part.Process.Exited, Task.Delay(BacklogPoll));
        }
        if (first > 0)
        {
            LogBacklogRead(_logger, RecordingId, part.Number, first, Environment.TickCount64 - started);
        }
    }

    private long? FreeMegabytes()
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(Directory)).AvailableFreeSpace / (1024 * 1024);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} is no longer owned by node {NodeId}: another node continues it; this recorder stops")]
    private static partial void LogOwnershipLost(ILogger logger, Guid recordingId, string nodeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} part {Part} started with {Tracks} track(s), ffmpeg pid {Pid}")]
    private static partial void LogPartStarted(ILogger logger, Guid recordingId, int part, int tracks, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} part {Part}: a lost packet is still awaited; stopping ffmpeg once it gives it up, in {Milliseconds} ms")]
    private static partial void LogPartDraining(ILogger logger, Guid recordingId, int part, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} part {Part}: ffmpeg had {Bytes} bytes unread when the part ended; stopped it once it had read them, after {Milliseconds} ms")]
    private static partial void LogBacklogRead(ILogger logger, Guid recordingId, int part, long bytes, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} part {Part}: ffmpeg stopped with {Bytes} bytes still unread after {Milliseconds} ms (it stopped reading them, or too slowly): that media is lost")]
    private static partial void LogBacklogLeft(ILogger logger, Guid recordingId, int part, long bytes, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} part {Part} closed (ffmpeg exit {Code})")]
    private static partial void LogPartStopped(ILogger logger, Guid recordingId, int part, int code);
}
