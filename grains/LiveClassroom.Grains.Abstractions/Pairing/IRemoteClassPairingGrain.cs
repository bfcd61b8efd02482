namespace LiveClassroom.Grains.Pairing;

/// <summary>
/// A lead classroom paired with N rural classrooms (grain kind <c>pairing</c>, id = pairing id), holding the four
/// unifications: one timetable, one course progress, one lead teacher, one evaluation. See docs/GRAINS.md.
/// </summary>
[Alias("lc.IRemoteClassPairingGrain")]
public interface IRemoteClassPairingGrain : IRoomGrain
{
    /// <summary>Admin: creates the pairing or changes its definition (name, classrooms, lead teacher, subject, grade, textbook edition).</summary>
    Task<PairingSnapshot> DefineAsync(RoomCaller caller, PairingDefinition definition);

    /// <summary>Admin or the lead teacher: sets the term timetable. Lessons already opened, rated or given a chapter keep that data.</summary>
    Task<PairingSnapshot> SetTimetableAsync(RoomCaller caller, TermTimetable timetable);

    /// <summary>Members, observers, admins: the concrete lessons of the term in date order, optionally within [from, to].</summary>
    Task<IReadOnlyList<Lesson>> GetLessonsAsync(RoomCaller caller, DateOnly? from = null, DateOnly? to = null);

    /// <summary>Lead teacher: records the chapter (章节) taught in a lesson; it becomes the pairing's current chapter.</summary>
    Task<Lesson> SetLessonChapterAsync(RoomCaller caller, string lessonId, string chapter);

    /// <summary>A rural classroom (its assistant teacher or device): rates a lesson 1–5 with an optional comment; a second rating replaces the first.</summary>
    Task<LessonEvaluation> RateLessonAsync(RoomCaller caller, string lessonId, int rating, string? comment);

    /// <summary>Members, observers, admins: per-lesson and per-term rating aggregates.</summary>
    Task<EvaluationSummary> GetEvaluationAsync(RoomCaller caller);

    /// <summary>
    /// Lead teacher: opens the live class for a scheduled lesson — sets up (once) the <see cref="Classroom.IClassroomGrain"/>
    /// with id <see cref="Lesson.ClassId"/> with the lead classroom, the rural classrooms and the lead teacher, and opens it.
    /// Returns the class id; calling it again returns the same class.
    /// </summary>
    Task<string> OpenLessonAsync(RoomCaller caller, string lessonId);

    /// <summary>Members, observers, admins: definition, timetable, course progress and the next lessons.</summary>
    Task<PairingSnapshot> GetSnapshotAsync(RoomCaller caller);
}
