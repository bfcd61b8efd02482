using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Rooms;

namespace LiveClassroom.Grains.Pairing;

/// <summary>
/// A 1+N pairing and its four unifications. Undefined → Defined (DefineAsync) → Scheduled (a timetable is set);
/// the timetable can be replaced, chapters, ratings and opened classes of lessons that remain are kept.
/// </summary>
[GrainType(GrainKinds.Pairing)]
[Orleans.Providers.StorageProvider(ProviderName = RoomStorage.Name)]
internal sealed partial class PairingGrain : RoomGrain<PairingGrainState>, IRemoteClassPairingGrain
{
    public PairingGrain(GrainServices services)
        : base(services)
    {
    }

    protected override string Kind => GrainKinds.Pairing;

    private const int UpcomingCount = 10;
    private List<Lesson>? _lessons;

    public async Task<PairingSnapshot> DefineAsync(RoomCaller caller, PairingDefinition definition)
    {
        CheckCaller(caller);
        if (caller.Role is not (RoomRole.Admin or RoomRole.System))
        {
            throw new RoomRuleException(RoomErrorCode.Forbidden, "Only an administrator can define a pairing.");
        }
        if (DefinitionProblem(definition) is { } problem)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, problem);
        }
        State.Definition = definition;
        Emit(PairingEventTypes.PairingDefined, Snapshot() with { Sequence = State.Sequence + 1 });
        await CommitAsync();
        await SyncListingAsync();
        return Snapshot();
    }

    public async Task<PairingSnapshot> SetTimetableAsync(RoomCaller caller, TermTimetable timetable)
    {
        var role = Admit(caller);
        if (role is not (RoomRole.Admin or RoomRole.System or RoomRole.Lead))
        {
            throw new RoomRuleException(RoomErrorCode.Forbidden, "Only an administrator or the lead teacher can set the timetable.");
        }
        if (LessonSchedule.Problem(timetable) is { } problem)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, problem);
        }
        State.Timetable = timetable;
        _lessons = null;
        Emit(PairingEventTypes.TimetableChanged, Snapshot() with { Sequence = State.Sequence + 1 });
        await CommitAsync();
        await SyncListingAsync();
        return Snapshot();
    }

    public Task<IReadOnlyList<Lesson>> GetLessonsAsync(RoomCaller caller, DateOnly? from = null, DateOnly? to = null)
    {
        Admit(caller);
        IReadOnlyList<Lesson> lessons = [.. Lessons().Where(l => (from is null || l.Date >= from) && (to is null || l.Date <= to))];
        return Task.FromResult(lessons);
    }

    public async Task<Lesson> SetLessonChapterAsync(RoomCaller caller, string lessonId, string chapter)
    {
        RequireLead(caller);
        var lesson = RequireLesson(lessonId);
        var text = (chapter ?? "").Trim();
        if (text.Length is 0 or > 200)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, "A chapter has 1 to 200 characters.");
        }
        State.Chapters[lesson.LessonId] = text;
        if (State.CurrentChapterLessonId is null || string.CompareOrdinal(lesson.LessonId, State.CurrentChapterLessonId) >= 0)
        {
            // Progress follows the latest lesson taught, not the latest edit of an older one.
            State.CurrentChapterLessonId = lesson.LessonId;
        }
        _lessons = null;
        var updated = RequireLesson(lessonId);
        Emit(PairingEventTypes.LessonChanged, updated);
        await CommitAsync();
        return updated;
    }

    public async Task<LessonEvaluation> RateLessonAsync(RoomCaller caller, string lessonId, int rating, string? comment)
    {
        var role = Admit(caller);
        if (role != RoomRole.Classroom)
        {
            throw new RoomRuleException(RoomErrorCode.Forbidden, "Only a rural classroom's assistant teacher rates lessons.");
        }
        var lesson = RequireLesson(lessonId);
        if (LessonSchedule.StartsAt(lesson.Date, lesson.Start) > Time.GetUtcNow())
        {
            throw new RoomRuleException(RoomErrorCode.InvalidState, "A lesson can be rated once it has started.");
        }
        if (rating is < 1 or > 5)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, "A rating is 1 to 5.");
        }
        var note = comment?.Trim();
        if (note is { Length: > 1000 })
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, "A comment has at most 1000 characters.");
        }
        if (!State.Ratings.TryGetValue(lesson.LessonId, out var ratings))
        {
            State.Ratings[lesson.LessonId] = ratings = [];
        }
        ratings.RemoveAll(r => r.ClassroomId == caller.ClassroomId);
        ratings.Add(new LessonRating(caller.ClassroomId!, caller.PrincipalId, caller.DisplayName, rating, string.IsNullOrEmpty(note) ? null : note, Time.GetUtcNow()));
        var evaluation = Evaluate(lesson.LessonId, ratings);
        Emit(PairingEventTypes.LessonRated, evaluation);
        await CommitAsync();
        return evaluation;
    }

    public Task<EvaluationSummary> GetEvaluationAsync(RoomCaller caller)
    {
        Admit(caller);
        var lessons = State.Ratings.Where(r => r.Value.Count > 0).OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => Evaluate(r.Key, r.Value)).ToList();
        var all = State.Ratings.Values.SelectMany(r => r).ToList();
        return Task.FromResult(new EvaluationSummary(
            State.Timetable?.TermName,
            lessons.Count,
            all.Count,
            all.Count == 0 ? null : Math.Round(all.Average(r => r.Rating), 2),
            lessons));
    }

    public async Task<string> OpenLessonAsync(RoomCaller caller, string lessonId)
    {
        RequireLead(caller);
        var lesson = RequireLesson(lessonId);
        var definition = State.Definition!;
        var classId = State.Classes.TryGetValue(lesson.LessonId, out var existing) ? existing : $"{Key.Id}.{lesson.LessonId}";
        var room = GrainFactory.GetGrain<IClassroomGrain>(classId);
        if (existing is null)
        {
            await room.SetupAsync(RoomCaller.System, new ClassSetup(
                $"{definition.Name} · {lesson.Subject} · {lesson.Date:yyyy-MM-dd} {lesson.Start:HH\\:mm}",
                definition.LeadTeacher,
                definition.LeadClassroom,
                definition.RuralClassrooms,
                LessonSchedule.StartsAt(lesson.Date, lesson.Start),
                lesson.DurationMinutes,
                Key.Id,
                lesson.LessonId));
            State.Classes[lesson.LessonId] = classId;
            _lessons = null;
            Emit(PairingEventTypes.LessonChanged, RequireLesson(lesson.LessonId));
            await CommitAsync();
        }
        // Orleans reaches the class wherever it is active (any node of the cluster).
        await room.OpenAsync(caller);
        return classId;
    }

    public Task<PairingSnapshot> GetSnapshotAsync(RoomCaller caller)
    {
        Admit(caller);
        return Task.FromResult(Snapshot());
    }
}
