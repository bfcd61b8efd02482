using System.Threading.Channels;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Media;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// The recording of one live class on this node. Starting → Recording → Ended.
/// Everything that changes it (class events, SFU peer/track events, keyframe requests) goes through one queue read
/// by one loop, so the class's tracks and taps need no lock and events apply in their sequence order.
/// Recorded: the lead teacher's camera, screen share and microphone, plus the microphones of classrooms on stage
/// (mixed). Classroom cameras are left out on purpose: the recorder keeps one main picture (screen, else the first
/// camera) and that must be the teacher.
/// </summary>
internal sealed partial class LiveClassRecording
{
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, ParticipantView> _participants = new(StringComparer.Ordinal);
    private readonly HashSet<string> _onStage = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _classroomNames = new(StringComparer.Ordinal);
    private readonly LiveClassRecordingStarter _starter;
    private readonly MediaServer _media;
    private readonly ILogger _logger;
    private Recorder? _recorder;
    private RecorderTaps? _taps;
    private string? _leadTeacherId;
    private long _appliedSequence;
    private readonly bool _continuing;

    /// <param name="continuing">The class moved here while live: continue its running recording instead of starting one.</param>
    public LiveClassRecording(string classId, bool continuing, LiveClassRecordingStarter starter, MediaServer media, ILogger logger)
    {
        ClassId = classId;
        _continuing = continuing;
        _starter = starter;
        _media = media;
        _logger = logger;
        // Created inside the class's turn: without suppressing the flow the loop would inherit the grain host's
        // "current grain" context, and calling the class back would be refused as a reentrant call.
        using (ExecutionContext.SuppressFlow())
        {
            Completion = Task.Run(RunAsync);
        }
    }

    public string ClassId { get; }

    public Task Completion { get; }

    /// <summary>
    /// Queues a class event, an SFU event (<see cref="MediaPeerEventArgs"/>: a peer gone; <see cref="MediaTrackEventArgs"/>:
    /// a track unpublished; <see cref="TrackPublished"/>) or a keyframe request (<see cref="KeyframeRequest"/>).
    /// </summary>
    public void Post(object item) => _queue.Writer.TryWrite(item);

    /// <summary>Stops taking items (the node shuts down); the loop hands the recorder off if the class did not end first.</summary>
    public void Shutdown() => _queue.Writer.TryComplete();

    private async Task RunAsync()
    {
        try
        {
            var started = _continuing ? await _starter.ContinueAsync(ClassId) : await _starter.StartAsync(ClassId);
            if (started is null)
            {
                _queue.Writer.TryComplete();
                return;
            }
            var (recorder, snapshot) = started.Value;
            _recorder = recorder;
            _taps = new RecorderTaps(recorder, ClassId, _logger);
            // A recorder that lets go (another node continues the class) ends this follower too.
            _ = recorder.Completion.ContinueWith(_ => _queue.Writer.TryComplete(),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _recorder.KeyframeNeeded += trackId => Post(new KeyframeRequest(trackId));
            _leadTeacherId = snapshot.LeadTeacherId;
            _appliedSequence = snapshot.Sequence;
            foreach (var c in snapshot.Classrooms)
            {
                // Chapter labels name the school too: "青山村小学 · 三年级复式班教室 举手", not "教室 举手" three times over.
                _classroomNames[c.ClassroomId] = c.SchoolName is { Length: > 0 } school ? $"{school} · {c.Name}" : c.Name;
            }
            foreach (var seat in snapshot.Stage)
            {
                _onStage.Add(seat.ClassroomId);
            }
            foreach (var p in snapshot.Participants)
            {
                _participants[p.PrincipalId] = p;
            }
            Reconcile();

            await foreach (var item in _queue.Reader.ReadAllAsync())
            {
                if (await HandleAsync(item))
                {
                    return;
                }
            }
            // The queue ended without the class ending: this node shuts down (or another node took the recording over,
            // and the recorder has already let go). The class goes on elsewhere, so its recording is handed off.
            await HandOffAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(_logger, ex, ClassId);
            CloseAllTaps();
        }
    }

    /// <summary>Applies one item; true when the class ended and the recording is stopped.</summary>
    private async Task<bool> HandleAsync(object item)
    {
        switch (item)
        {
            case RoomEvent e when e.Sequence <= _appliedSequence:
                // Already part of the snapshot the recording started from.
                return false;
            case RoomEvent e:
                _appliedSequence = e.Sequence;
                return await OnClassEventAsync(e);
            case MediaPeerEventArgs gone:
                _taps!.Close(t => t.PeerId == gone.PeerId);
                return false;
            case MediaTrackEventArgs unpublished:
                _taps!.Close(t => t.PeerId == unpublished.PeerId && t.Mid == unpublished.Mid);
                return false;
            case TrackPublished published:
                // A stand-in back after its relay link blinked: the class says nothing, the recording takes it again.
                _taps!.OnTrackPublished(published.Track.PeerId, published.Track.Mid, _media.GetRoom(ClassId));
                return false;
            case KeyframeRequest k when _media.GetRoom(ClassId) is { } room:
                // Re-registering is how the façade asks the publisher for a keyframe (a forced PLI).
                _taps!.AskKeyframe(k.TrackId, room);
                return false;
            default:
                return false;
        }
    }

    private async Task<bool> OnClassEventAsync(RoomEvent e)
    {
        switch (e.Type, e.Payload)
        {
            case (ClassEventTypes.ClassEnded, _):
                await StopAsync();
                return true;
            case (ClassEventTypes.MediaChanged, ParticipantView p):
                var hadScreen = _participants.TryGetValue(p.PrincipalId, out var before) && before.Publishes?.ScreenMid is not null;
                _participants[p.PrincipalId] = p;
                if (!hadScreen && p.Publishes?.ScreenMid is not null && IsLeadTeacher(p))
                {
                    _recorder!.AddChapter(ChapterType.ScreenShareStarted);
                }
                Reconcile();
                return false;
            case (ClassEventTypes.ConnectionChanged or ClassEventTypes.ParticipantJoined, ParticipantView p):
                _participants[p.PrincipalId] = p;
                Reconcile();
                return false;
            case (ClassEventTypes.HandQueueChanged, HandQueueChanged h) when h.Change == "raised":
                var (zh, en) = Labels(h.ClassroomId, "举手", "raised a hand");
                _recorder!.AddChapter(ChapterType.HandRaised, zh, en);
                return false;
            case (ClassEventTypes.StageChanged, StageChanged s):
                foreach (var seat in s.Stage)
                {
                    if (!_onStage.Contains(seat.ClassroomId))
                    {
                        var (stageZh, stageEn) = Labels(seat.ClassroomId, "上台", "on stage");
                        _recorder!.AddChapter(ChapterType.ClassroomOnStage, stageZh, stageEn);
                    }
                }
                _onStage.Clear();
                foreach (var seat in s.Stage)
                {
                    _onStage.Add(seat.ClassroomId);
                }
                Reconcile();
                return false;
            default:
                return false;
        }
    }

    private (string Zh, string En) Labels(string classroomId, string zh, string en)
    {
        var name = _classroomNames.GetValueOrDefault(classroomId, classroomId);
        return ($"{name} {zh}", $"{name} {en}");
    }

    private bool IsLeadTeacher(ParticipantView p) => p.PrincipalId == _leadTeacherId;

    /// <summary>Brings the taps in line with who should be heard and seen now.</summary>
    private void Reconcile()
    {
        var wanted = new Dictionary<string, (string PeerId, string Mid, TrackSource Source)>(StringComparer.Ordinal);
        foreach (var p in _participants.Values)
        {
            if (p.Connection != ConnectionState.Connected || p.PeerId is null || p.Publishes is not { } pub)
            {
                continue;
            }
            if (IsLeadTeacher(p))
            {
                Want(wanted, p, pub.CameraMid, TrackSource.Camera);
                Want(wanted, p, pub.ScreenMid, TrackSource.Screen);
                Want(wanted, p, pub.MicrophoneMid, TrackSource.Microphone);
            }
            else if (p.Role == RoomRole.Classroom && p.ClassroomId is { } room && _onStage.Contains(room))
            {
                Want(wanted, p, pub.MicrophoneMid, TrackSource.Microphone);
            }
        }
        _taps!.Want(wanted, _media.GetRoom(ClassId));
    }

    private static void Want(Dictionary<string, (string PeerId, string Mid, TrackSource Source)> wanted, ParticipantView p, string? mid, TrackSource source)
    {
        if (mid is not null)
        {
            wanted[$"{p.PeerId}/{mid}"] = (p.PeerId!, mid, source);
        }
    }

    private void CloseAllTaps() => _taps?.CloseAll();

    private async Task StopAsync()
    {
        CloseAllTaps();
        _queue.Writer.TryComplete();
        if (_recorder is { } r)
        {
            await r.StopAsync();
            LogStopped(_logger, ClassId, r.RecordingId, r.Elapsed.TotalSeconds);
        }
    }

    private async Task HandOffAsync()
    {
        CloseAllTaps();
        if (_recorder is { } r)
        {
            await r.HandOffAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Class {ClassId}: recording {RecordingId} stopped after {Seconds:0.0} s")]
    private static partial void LogStopped(ILogger logger, string classId, Guid recordingId, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Class {ClassId}: the live recording failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string classId);
}
