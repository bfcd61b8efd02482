using System.Globalization;

namespace LiveClassroom.Server.Recording;

public sealed partial class Recorder
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan BindDeadline = TimeSpan.FromSeconds(10);

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

        var number = _partCount;
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
        _ = process.Exited.ContinueWith(
            _ => _queue.Writer.TryWrite(RecorderItem.Control(RecorderItemKind.PartExited, part)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        // Packets sent before ffmpeg binds its ports would be lost: wait (bounded) until it has.
        var deadline = Environment.TickCount64 + (long)BindDeadline.TotalMilliseconds;
        while (!process.Exited.IsCompleted && Environment.TickCount64 < deadline)
        {
            var bound = PortAllocator.BoundUdpPorts();
            if (tracks.All(t => bound.Contains(t.Port)))
            {
                break;
            }
            await Task.WhenAny(process.Exited, Task.Delay(20));
        }
        await _store.SetPartAsync(RecordingId, _partCount, process.Id, tracks.Any(t => t.Track.Kind == MediaKind.Video));
        LogPartStarted(_logger, RecordingId, number, tracks.Count, process.Id);
        foreach (var t in tracks)
        {
            if (t.Track.Kind == MediaKind.Video)
            {
                KeyframeNeeded?.Invoke(t.Track.Id);
            }
        }
        return part;
    }

    private async Task StopPartAsync()
    {
        var part = _current;
        if (part is null)
        {
            return;
        }
        _current = null;
        // Whatever still waits at the gate goes out first, so the part holds everything it was given.
        foreach (var p in part.Pending)
        {
            Send(part, p);
        }
        part.Pending.Clear();
        var code = await part.Process.StopAsync(StopGrace);
        LogPartStopped(_logger, RecordingId, part.Number, code);
        part.Process.Dispose();
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} part {Part} started with {Tracks} track(s), ffmpeg pid {Pid}")]
    private static partial void LogPartStarted(ILogger logger, Guid recordingId, int part, int tracks, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} part {Part} closed (ffmpeg exit {Code})")]
    private static partial void LogPartStopped(ILogger logger, Guid recordingId, int part, int code);
}
