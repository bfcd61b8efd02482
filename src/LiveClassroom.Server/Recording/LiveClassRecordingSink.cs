using System.Collections.Concurrent;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Media;
using LiveClassroom.Server.Grains;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// Connects live classes to the recorder: a class opening starts a <see cref="LiveClassRecording"/>, a live class moving
/// to this node (its node died) continues its recording here as a further part, its events and the SFU's peer/track
/// events are queued to it, ClassEnded stops it (→ finalize job → library resource).
/// Does nothing with the Null media plane (no SFU, nothing to tap). Called inside the room's turn, so it only queues.
/// </summary>
public sealed partial class LiveClassRecordingSink : IRoomOwnerEventSink, IRoomActivationSink, IDisposable
{
    private readonly ConcurrentDictionary<string, LiveClassRecording> _classes = new(StringComparer.Ordinal);
    private readonly MediaServer? _media;
    private readonly IServiceProvider _services;
    private readonly ILogger<LiveClassRecordingSink> _logger;

    // The starter is resolved when first needed: it reaches the grain factory, whose room host needs the event
    // publisher, which needs this sink — taking it in the constructor would be a dependency cycle.
    public LiveClassRecordingSink(IServiceProvider services, ILogger<LiveClassRecordingSink> logger)
    {
        _media = services.GetService<MediaServer>();
        _services = services;
        _logger = logger;
        if (_media is not null)
        {
            _media.PeerGone += OnPeerGone;
            _media.TrackPublished += OnTrackPublished;
            _media.TrackUnpublished += OnTrackUnpublished;
        }
    }

    /// <summary>Classes being recorded by this node (tests, diagnostics).</summary>
    internal int ActiveCount => _classes.Count;

    public Task OnRoomEventAsync(RoomEvent roomEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roomEvent);
        if (_media is null || roomEvent.Room.Kind != GrainKinds.Classroom)
        {
            return Task.CompletedTask;
        }
        var classId = roomEvent.Room.Id;
        if (roomEvent.Type == ClassEventTypes.ClassOpened)
        {
            var recording = _classes.GetOrAdd(classId, id => Track(new LiveClassRecording(id, continuing: false, Starter, _media, _logger)));
            recording.Post(roomEvent);
        }
        else if (_classes.TryGetValue(classId, out var recording))
        {
            recording.Post(roomEvent);
        }
        return Task.CompletedTask;
    }

    public Task OnLiveRoomActivatedAsync(GrainKey room, CancellationToken ct)
    {
        if (_media is not null && room.Kind == GrainKinds.Classroom)
        {
            // Already followed here (the room was only reactivated on this node): that recording goes on as it is.
            _classes.GetOrAdd(room.Id, id => Track(new LiveClassRecording(id, continuing: true, Starter, _media, _logger)));
        }
        return Task.CompletedTask;
    }

    private LiveClassRecordingStarter Starter => _services.GetRequiredService<LiveClassRecordingStarter>();

    private LiveClassRecording Track(LiveClassRecording recording)
    {
        _ = recording.Completion.ContinueWith(_ => _classes.TryRemove(new KeyValuePair<string, LiveClassRecording>(recording.ClassId, recording)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        LogFollowing(_logger, recording.ClassId);
        return recording;
    }

    private void OnPeerGone(object? sender, MediaPeerEventArgs e)
    {
        if (_classes.TryGetValue(e.RoomId, out var recording))
        {
            recording.Post(e);
        }
    }

    // A relay stand-in's track back (its link blinked): the recording attaches its tap again (RecorderTaps).
    private void OnTrackPublished(object? sender, MediaTrackEventArgs e)
    {
        if (_classes.TryGetValue(e.RoomId, out var recording))
        {
            recording.Post(new TrackPublished(e));
        }
    }

    private void OnTrackUnpublished(object? sender, MediaTrackEventArgs e)
    {
        if (_classes.TryGetValue(e.RoomId, out var recording))
        {
            recording.Post(e);
        }
    }

    public void Dispose()
    {
        if (_media is not null)
        {
            _media.PeerGone -= OnPeerGone;
            _media.TrackPublished -= OnTrackPublished;
            _media.TrackUnpublished -= OnTrackUnpublished;
        }
        foreach (var recording in _classes.Values)
        {
            recording.Shutdown();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Class {ClassId} opened: following it for the recording")]
    private static partial void LogFollowing(ILogger logger, string classId);
}
