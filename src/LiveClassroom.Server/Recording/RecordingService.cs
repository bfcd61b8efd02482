using System.Collections.Concurrent;
using System.Text.Json;
using LiveClassroom.Server.Jobs;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// The recorders running on this node. Start one per class (<see cref="StartAsync"/>), feed it through
/// <see cref="IRecordingInput"/>, stop it at class end: its segments are then finalized by a durable job.
/// </summary>
public sealed partial class RecordingService(
    RecordingOptions options, RecordingStore store, JobQueue jobs, NodeIdentity node, IHostEnvironment env,
    ILogger<RecordingService> logger) : IAsyncDisposable
{
    public const string FinalizeJobKind = "recording.finalize";

    private readonly ConcurrentDictionary<Guid, Recorder> _active = new();

    public string Root { get; } = Path.GetFullPath(Path.Combine(env.ContentRootPath, options.Root));

    public RecordingOptions Options => options;

    public IReadOnlyCollection<Guid> ActiveIds => [.. _active.Keys];

    /// <summary>
    /// Whether a class is recorded: scheduled lessons are by default (<c>Recordings:RecordScheduledLessons</c>),
    /// ad-hoc classes only when asked; an explicit choice of the lead teacher always wins.
    /// </summary>
    public bool ShouldRecord(bool scheduledLesson, bool? leadTeacherChoice) =>
        leadTeacherChoice ?? (scheduledLesson && options.RecordScheduledLessons);

    /// <summary>
    /// Starts the room's recorder; null (and nothing opened: no row, folder, socket or lease) when the room already has
    /// an active recording — one per room, whoever started it.
    /// </summary>
    public async Task<Recorder?> StartAsync(StartRecordingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = Guid.CreateVersion7();
        var metadata = JsonSerializer.Serialize(request.Course ?? new CourseInfo());
        if (!await store.InsertIfNoneActiveAsync(id, request.RoomId, request.SchoolId, request.TeacherId, node.Id, options.LeaseSeconds, metadata))
        {
            return null;
        }
        var recorder = new Recorder(id, request.RoomId, RecordingPaths.Directory(Root, id), options, store, logger, node.Id, OnEndedAsync);
        _active[id] = recorder;
        recorder.AddChapter(ChapterType.ClassStarted);
        LogStarted(logger, id, request.RoomId);
        return recorder;
    }

    /// <summary>
    /// Continues the room's running recording on this node, as further parts of the same recording: the class moved here
    /// because the node recording it died (or let it go). The row becomes this node's (<see cref="RecordingStore.ContinueAsync"/>);
    /// the new parts are numbered after every earlier part, in the same folder — which is why every node must see one
    /// shared <c>Recordings:Root</c>. Null when this node already records the room or the room has no running recording.
    /// </summary>
    public async Task<Recorder?> ContinueAsync(string roomId)
    {
        ArgumentException.ThrowIfNullOrEmpty(roomId);
        if (FindByRoom(roomId) is not null || await store.ContinueAsync(roomId, node.Id, options.LeaseSeconds) is not { } row)
        {
            return null;
        }
        var directory = RecordingPaths.Directory(Root, row.Id);
        // Chapter marks go on the recording's timeline: after what the earlier parts hold (as their playlists list it;
        // the segment being written when the node died is not listed, at most Recordings:SegmentSeconds).
        var recorded = TimeSpan.FromSeconds(SegmentCatalog.ListedSeconds(directory));
        var recorder = new Recorder(row.Id, roomId, directory, options, store, logger, node.Id, OnEndedAsync, recorded, row.PausedSeconds);
        _active[row.Id] = recorder;
        if (row.Status == "paused")
        {
            await recorder.PauseAsync();
        }
        LogContinued(logger, row.Id, roomId, row.Continuations, recorded.TotalSeconds);
        return recorder;
    }

    /// <summary>
    /// Lets go of a recorder whose recording another node now owns (it continued the class there): its ffmpeg stops,
    /// nothing more is written, and the row is left to its new owner. True when there was one to let go of.
    /// </summary>
    public async Task<bool> RelinquishAsync(Guid id)
    {
        if (!_active.TryGetValue(id, out var recorder))
        {
            return false;
        }
        var row = await store.GetAsync(id);
        if (row is not null && row.NodeId == node.Id)
        {
            // Still ours (e.g. it was just ended here and is on its way to finalizing): nothing to let go of.
            return false;
        }
        _active.TryRemove(id, out _);
        await recorder.AbandonAsync();
        LogRelinquished(logger, id, row?.NodeId ?? "");
        return true;
    }

    /// <summary>The recorder of a recording running on this node, if any.</summary>
    public Recorder? Find(Guid recordingId) => _active.TryGetValue(recordingId, out var r) ? r : null;

    public Recorder? FindByRoom(string roomId)
    {
        foreach (var r in _active.Values)
        {
            if (r.RoomId == roomId)
            {
                return r;
            }
        }
        return null;
    }

    private async Task OnEndedAsync(Guid id, bool finalize)
    {
        _active.TryRemove(id, out _);
        if (!finalize)
        {
            return;
        }
        var row = await store.GetAsync(id);
        await EnqueueFinalizeAsync(id, row?.SchoolId);
    }

    public Task<long> EnqueueFinalizeAsync(Guid recordingId, Guid? schoolId) =>
        jobs.EnqueueAsync(FinalizeJobKind, recordingId.ToString("N"), new FinalizePayload(recordingId), schoolId);

    /// <summary>Forgets a recorder without touching the database (tests simulating a dead node).</summary>
    internal async Task AbandonAsync(Guid id)
    {
        if (_active.TryRemove(id, out var r))
        {
            await r.AbandonAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A normal shutdown (a rolling restart, a node taken out) does not end the classes, so it does not end their
        // recordings either: each is handed off (parts closed cleanly, lease given up) for the node its class moves to,
        // and finalized by a recovery sweep only if no node continues it within Recordings:ContinueGraceSeconds.
        foreach (var r in _active.Values)
        {
            try
            {
                await r.HandOffAsync();
                await r.DisposeAsync();
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or ObjectDisposedException or InvalidOperationException)
            {
                LogShutdownStopFailed(logger, r.RecordingId, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} started for room {RoomId}")]
    private static partial void LogStarted(ILogger logger, Guid recordingId, string roomId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} of room {RoomId} continues on this node (move {Move}), after {Seconds:0.0} s recorded")]
    private static partial void LogContinued(ILogger logger, Guid recordingId, string roomId, int move, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} is continued by node {NodeId}: this node's recorder let go")]
    private static partial void LogRelinquished(ILogger logger, Guid recordingId, string nodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} could not be handed off cleanly at shutdown")]
    private static partial void LogShutdownStopFailed(ILogger logger, Guid recordingId, Exception ex);
}
