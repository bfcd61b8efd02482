using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Server.Rooms;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// Decides whether a class that just opened is recorded and starts its recorder: the lead school and teacher come
/// from the class's parties, the course (subject, grade, 教材版本, chapter) from its pairing when it has one.
/// Runs outside the class's turn (it calls the class grain back).
/// </summary>
public sealed partial class LiveClassRecordingStarter(
    IGrainFactory grains, ClassAccess access, RecordingService recordings, RecordingStore store, ILogger<LiveClassRecordingStarter> logger)
{
    private static readonly TimeSpan LivenessTimeout = TimeSpan.FromSeconds(10);

    // The same watching identity ClassAccess uses: a class admits no System caller to its snapshot.
    private static readonly RoomCaller Server = new("server", "server", RoomRole.Admin);

    /// <summary>The started recorder and the snapshot it starts from; null when the class is not recorded.</summary>
    public async Task<(Recorder Recorder, ClassSnapshot Snapshot)?> StartAsync(string classId)
    {
        var snapshot = await grains.GetGrain<IClassroomGrain>(classId).GetSnapshotAsync(Server);
        if (snapshot.State != ClassState.Live)
        {
            return null;
        }
        // A lesson of a pairing's timetable is a scheduled lesson; there is no per-class opt-out yet, so the
        // lead teacher's choice is the pause/stop they make through the recordings API.
        var scheduled = snapshot.PairingId is not null && snapshot.LessonId is not null;
        if (!recordings.ShouldRecord(scheduled, leadTeacherChoice: null))
        {
            LogNotRecorded(logger, classId);
            return null;
        }
        // Null when already recording (started by hand through the API, or by another node before the room moved).
        var recorder = await StartForClassAsync(classId, snapshot, await CourseAsync(snapshot));
        return recorder is null ? null : (recorder, snapshot);
    }

    /// <summary>
    /// The class moved to this node (its node died) while live: continue its running recording here as a further part.
    /// When a recovery sweep already finalized the recording (nobody continued it within the grace), the rest of the class
    /// is recorded as a new recording, by the usual rule; a recording stopped by hand stays stopped.
    /// </summary>
    public async Task<(Recorder Recorder, ClassSnapshot Snapshot)?> ContinueAsync(string classId)
    {
        var snapshot = await grains.GetGrain<IClassroomGrain>(classId).GetSnapshotAsync(Server);
        if (snapshot.State != ClassState.Live)
        {
            return null;
        }
        if (await recordings.ContinueAsync(classId) is { } recorder)
        {
            return (recorder, snapshot);
        }
        var latest = await store.LatestInRoomAsync(classId);
        return latest is { Recovered: true } && latest.Status is not ("recording" or "paused") ? await StartAsync(classId) : null;
    }

    /// <summary>
    /// Whether a class is live now: false for an ended class or a room that is no class; null when it could not be asked
    /// in time (its node is failing over). Asking activates the class if it is not active anywhere.
    /// </summary>
    public async Task<bool?> IsLiveAsync(string classId)
    {
        try
        {
            var snapshot = await grains.GetGrain<IClassroomGrain>(classId).GetSnapshotAsync(Server).WaitAsync(LivenessTimeout);
            return snapshot.State == ClassState.Live;
        }
        catch (RoomRuleException)
        {
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Failing over (timeouts, unavailable silos) or anything else: unknown, asked again on the next sweep.
            LogLivenessUnknown(logger, classId, ex.GetType().Name);
            return null;
        }
    }

    /// <summary>
    /// Starts the recording of a class as its lead school's and lead teacher's; null when the lead classroom has no school
    /// or the room already has an active recording (one per room: the store refuses a second).
    /// </summary>
    public async Task<Recorder?> StartForClassAsync(string classId, ClassSnapshot snapshot, CourseInfo course)
    {
        var parties = await access.PartiesAsync(snapshot.LeadTeacherId, snapshot.LeadClassroomId, [], CancellationToken.None);
        if (parties is null)
        {
            LogNoSchool(logger, classId, snapshot.LeadClassroomId);
            return null;
        }
        return await recordings.StartAsync(new StartRecordingRequest(classId, parties.LeadSchoolId, parties.LeadTeacherId, course));
    }

    /// <summary>The course of a class for its resource: subject, grade, 教材版本 and chapter from its pairing when it has one.</summary>
    public async Task<CourseInfo> CourseAsync(ClassSnapshot snapshot)
    {
        if (snapshot.PairingId is null)
        {
            return new CourseInfo(Title: snapshot.Title);
        }
        var pairing = await grains.GetGrain<IRemoteClassPairingGrain>(snapshot.PairingId).GetSnapshotAsync(RoomCaller.System);
        if (pairing.Definition is not { } d)
        {
            return new CourseInfo(Title: snapshot.Title);
        }
        var lesson = pairing.UpcomingLessons.FirstOrDefault(l => l.LessonId == snapshot.LessonId);
        return new CourseInfo(
            Title: snapshot.Title,
            Stage: StageOf(d.Grade),
            Grade: d.Grade,
            Subject: lesson?.Subject ?? d.Subject,
            TextbookEdition: d.TextbookEdition,
            Chapter: lesson?.Chapter ?? pairing.Progress?.CurrentChapter,
            TeacherName: d.LeadTeacher.Name);
    }

    /// <summary>学段 from a grade name such as 三年级, 初二, 八年级, 高一; null when it cannot be told.</summary>
    internal static string? StageOf(string grade)
    {
        if (grade.StartsWith('高'))
        {
            return "高中";
        }
        if (grade.StartsWith('初') || grade.StartsWith('七') || grade.StartsWith('八') || grade.StartsWith('九'))
        {
            return "初中";
        }
        return grade.Length > 0 && "一二三四五六".Contains(grade[0], StringComparison.Ordinal) ? "小学" : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Class {ClassId}: could not tell whether it is live ({Error})")]
    private static partial void LogLivenessUnknown(ILogger logger, string classId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Class {ClassId} opened; not recorded (not a scheduled lesson)")]
    private static partial void LogNotRecorded(ILogger logger, string classId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Class {ClassId} opened; not recorded: lead classroom {ClassroomId} has no school")]
    private static partial void LogNoSchool(ILogger logger, string classId, string classroomId);
}
