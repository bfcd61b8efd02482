using System.Buffers;
using System.Buffers.Binary;
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
            if (_abandoned)
            {
                KillRetiring();
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
                    MarkDirty(item.Arrival);
                    if (_current is { } part && part.Tracks.All(t => t.Track.Removed))
                    {
                        // Nothing of this part is left to come: its ffmpeg may finish now, not after its listen timeout.
                        RetireCurrentPart();
                    }
                }
                return true;
            case RecorderItemKind.Pause:
                if (_state == RecorderState.Recording)
                {
                    _state = RecorderState.Paused;
                    _activeTime.Stop();
                    await StopPartsAsync();
                    DropSettling();
                    _awaitingReturn = null;
                    await _store.SetPausedAsync(RecordingId, _nodeId, true, PausedSeconds());
                }
                Done(item);
                return true;
            case RecorderItemKind.Resume:
                if (_state == RecorderState.Paused)
                {
                    _activeTime.Start();
                    MarkDirty(Environment.TickCount64);
                    _state = RecorderState.Recording;
                    await _store.SetPausedAsync(RecordingId, _nodeId, false, PausedSeconds());
                }
                Done(item);
                return true;
            case RecorderItemKind.Stop:
                if (_state is RecorderState.Recording or RecorderState.Paused)
                {
                    await CloseAsync(RecorderState.Stopped);
                    var owned = await _store.EndAsync(RecordingId, _nodeId, PausedSeconds());
                    await _onEnded(RecordingId, owned);
                    if (owned)
                    {
                        LogStopped(_logger, RecordingId, _partCount, Elapsed.TotalSeconds);
                    }
                    else
                    {
                        LogOwnershipLost(_logger, RecordingId, _nodeId);
                    }
                }
                Done(item);
                return false;
            case RecorderItemKind.HandOff:
                if (_state is RecorderState.Recording or RecorderState.Paused)
                {
                    // Like a stop, the parts are closed cleanly (their playlists end), but the recording stays running:
                    // the class goes on elsewhere and so does its recording, as further parts.
                    await CloseAsync(RecorderState.Stopped);
                    var released = await _store.ReleaseAsync(RecordingId, _nodeId, PausedSeconds());
                    await _onEnded(RecordingId, false);
                    LogHandedOff(_logger, RecordingId, _partCount, Elapsed.TotalSeconds, released);
                }
                Done(item);
                return false;
            case RecorderItemKind.PartExited:
                return await OnPartExitedAsync((RecordingPart)item.Arg!);
            case RecorderItemKind.PartBound:
                OnPartBound((RecordingPart)item.Arg!);
                return true;
            default:
                return true;
        }
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
                if (span.Length >= 12)
                {
                    pt.Gaps.Observe(BinaryPrimitives.ReadUInt16BigEndian(span[2..]), Environment.TickCount64);
                }
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
            RecordingMeters.FfmpegDied(restarted: false);
            await FailAsync("disk full (ENOSPC): " + reason);
            return false;
        }
        if (_incidents > _options.MaxFfmpegRestarts)
        {
            RecordingMeters.FfmpegDied(restarted: false);
            await FailAsync(reason + string.Create(CultureInfo.InvariantCulture, $" (restart budget of {_options.MaxFfmpegRestarts} used up)"));
            return false;
        }
        RecordingMeters.FfmpegDied(restarted: true);
        await _store.RecordIncidentAsync(RecordingId, reason);
        _dirty = true;
        _settleUntil = 0;
        return true;
    }

    /// <summary>Stop, hand-off and failure alike: no more parts from this recorder, the running ones closed cleanly, chapters stored.</summary>
    private async Task CloseAsync(RecorderState final)
    {
        _state = final;
        _activeTime.Stop();
        await StopPartsAsync();
        DropSettling();
        await FlushChaptersAsync();
    }

    private async Task FailAsync(string reason)
    {
        await CloseAsync(RecorderState.Failed);
        var owned = await _store.FailAsync(RecordingId, _nodeId, reason, PausedSeconds());
        LogFailed(_logger, RecordingId, reason);
        // What was recorded before the failure is still worth keeping: finalize salvages it (unless another node
        // continues the recording, which then finalizes it when the class ends).
        await _onEnded(RecordingId, owned);
    }

    /// <summary>The tracks changed at <paramref name="arrival"/>: the next part starts once they have settled.</summary>
    private void MarkDirty(long arrival)
    {
        _dirty = true;
        _settleUntil = Math.Max(_settleUntil, arrival + _options.SettleMilliseconds);
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
        return _pausedBefore + (paused < 0.5 ? 0 : paused);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Recorder {RecordingId} loop failed")]
    private static partial void LogLoopError(ILogger logger, Guid recordingId, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} part {Part}: ffmpeg died with exit code {Code}")]
    private static partial void LogPartDied(ILogger logger, Guid recordingId, int part, int code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} part {Part} ended: no media arrived for a while")]
    private static partial void LogPartQuiet(ILogger logger, Guid recordingId, int part);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording {RecordingId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid recordingId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} stopped after {Parts} part(s), {Seconds:0.0} s on the timeline")]
    private static partial void LogStopped(ILogger logger, Guid recordingId, int parts, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} handed off at shutdown after {Parts} part(s), {Seconds:0.0} s on the timeline (released: {Released})")]
    private static partial void LogHandedOff(ILogger logger, Guid recordingId, int parts, double seconds, bool released);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId}: a chapter mark could not be stored")]
    private static partial void LogChapterFailed(ILogger logger, Guid recordingId, Exception ex);
}
