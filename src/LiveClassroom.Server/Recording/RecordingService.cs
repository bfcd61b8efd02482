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
        var recorder = new Recorder(id, request.RoomId, RecordingPaths.Directory(Root, id), options, store, logger, OnEndedAsync);
        _active[id] = recorder;
        recorder.AddChapter(ChapterType.ClassStarted);
        LogStarted(logger, id, request.RoomId);
        return recorder;
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

    private async Task OnEndedAsync(Guid id)
    {
        _active.TryRemove(id, out _);
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
        // A normal shutdown ends the recordings cleanly; they are finalized by whichever node runs the job.
        foreach (var r in _active.Values)
        {
            try
            {
                await r.StopAsync();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} could not be stopped cleanly at shutdown")]
    private static partial void LogShutdownStopFailed(ILogger logger, Guid recordingId, Exception ex);
}
