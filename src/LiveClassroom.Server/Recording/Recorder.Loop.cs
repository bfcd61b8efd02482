using System.Buffers;
using System.Globalization;
using System.Net.Sockets;

namespace LiveClassroom.Server.Recording;

public sealed partial class Recorder
{
    private readonly List<RecorderItem> _settling = [];
    private RecordingPart? _current;
    private bool _dirty = true;
    private long _settleUntil;
    private int _partCount;
    private int _incidents;
    private volatile bool _abandoned;

    private async Task RunAsync()
    {
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync())
            {
                if (_abandoned)
                {
                    Release(item);
                    continue;
                }
                try
                {
                    if (!await HandleAsync(item))
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogLoopError(_logger, RecordingId, ex);
                    await FailAsync(Describe(ex));
                    break;
                }
            }
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var rest))
            {
                Release(rest);
                (rest.Arg as TaskCompletionSource)?.TrySetResult();
            }
            foreach (var pending in _settling)
            {
                Release(pending);
            }
            _settling.Clear();
            if (_current is not null)
            {
                _current.ReleasePending();
                if (_abandoned)
                {
                    _current.Process.Kill();
                }
            }
            _socket.Dispose();
        }
    }

    /// <summary>False when the loop should end.</summary>
    private async Task<bool> HandleAsync(RecorderItem item)
    {
        switch (item.Kind)
        {
            case RecorderItemKind.Packet:
                await OnPacketAsync(item);
                return true;
            case RecorderItemKind.RemoveTrack:
                if (item.Track is { Active: true } removed)
                {
                    removed.Active = false;
                    removed.Removed = true;
                    MarkDirty();
                }
                return true;
            case RecorderItemKind.Pause:
                if (_state == RecorderState.Recording)
                {
                    _state = RecorderState.Paused;
                    _activeTime.Stop();
                    await StopPartAsync();
                    DropSettling();
                    await _store.SetPausedAsync(RecordingId, true, PausedSeconds());
                }
                Done(item);
                return true;
            case RecorderItemKind.Resume:
                if (_state == RecorderState.Paused)
                {
                    _activeTime.Start();
                    MarkDirty();
                    _state = RecorderState.Recording;
                    await _store.SetPausedAsync(RecordingId, false, PausedSeconds());
                }
                Done(item);
                return true;
            case RecorderItemKind.Stop:
                if (_state is RecorderState.Recording or RecorderState.Paused)
                {
                    _state = RecorderState.Stopped;
                    _activeTime.Stop();
                    await StopPartAsync();
                    DropSettling();
                    await FlushChaptersAsync();
                    await _store.EndAsync(RecordingId, PausedSeconds());
                    await _onEnded(RecordingId);
                    LogStopped(_logger, RecordingId, _partCount, Elapsed.TotalSeconds);
                }
                Done(item);
                return false;
            case RecorderItemKind.PartExited:
                return await OnPartExitedAsync((RecordingPart)item.Arg!);
            default:
                return true;
        }
    }

    private async Task OnPacketAsync(RecorderItem item)
    {
        var track = item.Track!;
        if (_state != RecorderState.Recording || track.Removed)
        {
            Release(item);
            return;
        }
        track.Packets++;
        if (!track.Active)
        {
            track.Active = true;
            MarkDirty();
        }
        var ssrc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(item.Buffer.AsSpan(8, 4));
        if (track.Ssrc != ssrc)
        {
            if (track.Ssrc != 0)
            {
                // The publisher came back on a new connection (page reload): its stream restarts with a new SSRC,
                // sequence and timestamp base (RFC 3550 §8.2). ffmpeg's RTP input would drop or mistime it, so the
                // part ends here and the next one starts from the new stream's first keyframe: the recording goes on,
                // cut only by the reload's gap.
                LogSourceChanged(_logger, RecordingId, track.Id);
                MarkDirty();
                // What this track's old source left waiting for the next part must not go into it: one part, one
                // stream per track (a simulcast layer switch during the settle delay would otherwise mix two).
                DropSettling(track);
            }
            track.Ssrc = ssrc;
        }
        if (_dirty || _current is null)
        {
            if (_current is not null)
            {
                await StopPartAsync();
            }
            if (_settling.Count >= 10_000)
            {
                Release(_settling[0]);
                _settling.RemoveAt(0);
            }
            _settling.Add(item);
            if (Environment.TickCount64 < _settleUntil)
            {
                return;
            }
            _dirty = false;
            var part = await StartPartAsync();
            if (part is null)
            {
                return;
            }
            foreach (var pending in _settling)
            {
                Forward(part, pending);
            }
            _settling.Clear();
            return;
        }
        Forward(_current, item);
    }

    private void Forward(RecordingPart part, RecorderItem item)
    {
        var pt = part.Find(item.Track!);
        if (pt is null)
        {
            Release(item);
            return;
        }
        if (!pt.Ready)
        {
            if (pt.Track.Kind == MediaKind.Video && !RtpInspector.StartsKeyframe(pt.Track.Codec, item.Buffer.AsSpan(0, item.Length)))
            {
                pt.Track.Dropped++;
                Release(item);
                return;
            }
            pt.Ready = true;
        }
        if (!part.GateOpen)
        {
            part.Pending.Add(item);
            if (part.AllReady || Environment.TickCount64 - part.StartedAtTicks > _options.GateMilliseconds)
            {
                part.GateOpen = true;
                if (!part.AllReady)
                {
                    LogGateTimeout(_logger, RecordingId, part.Number);
                }
                foreach (var p in part.Pending)
                {
                    Send(part, p);
                }
                part.Pending.Clear();
            }
            return;
        }
        Send(part, item);
    }

    private void Send(RecordingPart part, RecorderItem item)
    {
        var pt = part.Find(item.Track!);
        try
        {
            if (pt is not null)
            {
                var span = item.Buffer.AsSpan(0, item.Length);
                RtpInspector.SetPayloadType(span, pt.PayloadType);
                _socket.SendTo(span, SocketFlags.None, pt.Address);
            }
        }
        catch (SocketException)
        {
            item.Track!.Dropped++;
        }
        finally
        {
            Release(item);
        }
    }

    private async Task<bool> OnPartExitedAsync(RecordingPart part)
    {
        if (part != _current || part.Process.StopRequested)
        {
            return true;
        }
        _current = null;
        part.ReleasePending();
        var code = await part.Process.Exited;
        if (code == 0)
        {
            // The input went quiet (listen timeout) and ffmpeg closed its outputs cleanly: not a fault.
            LogPartQuiet(_logger, RecordingId, part.Number);
            _dirty = true;
            _settleUntil = 0;
            return true;
        }
        var tail = part.Process.Tail;
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"ffmpeg (part {part.Number}) exited unexpectedly with code {code}: {LastLines(tail.ToString(), 6)}");
        _incidents++;
        LogPartDied(_logger, RecordingId, part.Number, code);
        if (tail.Contains("No space left on device"))
        {
            await FailAsync("disk full (ENOSPC): " + reason);
            return false;
        }
        if (_incidents > _options.MaxFfmpegRestarts)
        {
            await FailAsync(reason + string.Create(CultureInfo.InvariantCulture, $" (restart budget of {_options.MaxFfmpegRestarts} used up)"));
            return false;
        }
        await _store.RecordIncidentAsync(RecordingId, reason);
        _dirty = true;
        _settleUntil = 0;
        return true;
    }

    private async Task FailAsync(string reason)
    {
        _state = RecorderState.Failed;
        _activeTime.Stop();
        await StopPartAsync();
        DropSettling();
        await FlushChaptersAsync();
        await _store.FailAsync(RecordingId, reason, PausedSeconds());
        LogFailed(_logger, RecordingId, reason);
        // What was recorded before the failure is still worth keeping: finalize salvages it.
        await _onEnded(RecordingId);
    }

    private void MarkDirty()
    {
        if (!_dirty)
        {
            _dirty = true;
        }
        _settleUntil = Environment.TickCount64 + _options.SettleMilliseconds;
    }

    private void DropSettling(RecorderTrack track)
    {
        _settling.RemoveAll(s =>
        {
            if (s.Track != track)
            {
                return false;
            }
            Release(s);
            return true;
        });
    }

    private void DropSettling()
    {
        foreach (var s in _settling)
        {
            Release(s);
        }
        _settling.Clear();
    }

    private async Task FlushChaptersAsync()
    {
        Task[] writes;
        lock (_chapterWrites)
        {
            writes = [.. _chapterWrites];
            _chapterWrites.Clear();
        }
        try
        {
            await Task.WhenAll(writes);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException)
        {
            LogChapterFailed(_logger, RecordingId, ex);
        }
    }

    private double PausedSeconds()
    {
        // Wall time since the recorder started minus time on the timeline.
        var wall = TimeSpan.FromMilliseconds(Environment.TickCount64 - _createdTicks);
        var paused = (wall - _activeTime.Elapsed).TotalSeconds;
        return paused < 0.5 ? 0 : paused;
    }

    private readonly long _createdTicks = Environment.TickCount64;

    private static void Release(RecorderItem item)
    {
        if (item.Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(item.Buffer);
        }
    }

    private static void Done(RecorderItem item) => (item.Arg as TaskCompletionSource)?.TrySetResult();

    internal static string LastLines(string text, int count)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - count)));
    }

    private static string Describe(Exception ex) => ex switch
    {
        IOException io when IsDiskFull(io) => "disk full (ENOSPC): " + io.Message,
        _ => $"recorder error: {ex.GetType().Name}: {ex.Message}",
    };

    internal static bool IsDiskFull(IOException ex) =>
        // ENOSPC is 28 on Linux; .NET puts errno in the low bits of HResult for unix I/O errors.
        (ex.HResult & 0xFFFF) == 28 || ex.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId}: track {TrackId} restarted with a new SSRC; starting a new part")]
    private static partial void LogSourceChanged(ILogger logger, Guid recordingId, string trackId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recorder {RecordingId} loop failed")]
    private static partial void LogLoopError(ILogger logger, Guid recordingId, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} part {Part}: not every track produced a start packet in time; starting without waiting")]
    private static partial void LogGateTimeout(ILogger logger, Guid recordingId, int part);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} part {Part}: ffmpeg died with exit code {Code}")]
    private static partial void LogPartDied(ILogger logger, Guid recordingId, int part, int code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} part {Part} ended: no media arrived for a while")]
    private static partial void LogPartQuiet(ILogger logger, Guid recordingId, int part);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording {RecordingId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid recordingId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} stopped after {Parts} part(s), {Seconds:0.0} s on the timeline")]
    private static partial void LogStopped(ILogger logger, Guid recordingId, int parts, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId}: a chapter mark could not be stored")]
    private static partial void LogChapterFailed(ILogger logger, Guid recordingId, Exception ex);
}
