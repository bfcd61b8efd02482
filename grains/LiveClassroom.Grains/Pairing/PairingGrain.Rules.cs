using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Pairing;

/// <summary>Who may do what in a pairing, lesson lookup, views and the relational listing.</summary>
internal sealed partial class PairingGrain
{
    private static void CheckCaller(RoomCaller? caller)
    {
        if (caller is null || string.IsNullOrWhiteSpace(caller.PrincipalId))
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, "The caller has no identity.");
        }
    }

    /// <summary>The caller's effective role in this pairing; refuses strangers and undefined pairings.</summary>
    private RoomRole Admit(RoomCaller caller)
    {
        CheckCaller(caller);
        var d = State.Definition ?? throw new RoomRuleException(RoomErrorCode.NotFound, "No such pairing.");
        return caller.Role switch
        {
            RoomRole.Lead when caller.PrincipalId == d.LeadTeacher.Id || caller.ClassroomId == d.LeadClassroom.Id => RoomRole.Lead,
            RoomRole.Classroom when caller.ClassroomId is { } id && d.RuralClassrooms.Any(c => c.Id == id) => RoomRole.Classroom,
            RoomRole.Observer or RoomRole.Admin or RoomRole.System => caller.Role,
            _ => throw new RoomRuleException(RoomErrorCode.Forbidden, "You are not part of this pairing."),
        };
    }

    private void RequireLead(RoomCaller caller)
    {
        if (Admit(caller) != RoomRole.Lead)
        {
            throw new RoomRuleException(RoomErrorCode.Forbidden, "Only the pairing's lead teacher can do this.");
        }
    }

    private Lesson RequireLesson(string? lessonId) =>
        Lessons().Find(l => l.LessonId == lessonId)
        ?? throw new RoomRuleException(RoomErrorCode.NotFound, "No such lesson in this pairing's timetable.");

    private List<Lesson> Lessons()
    {
        if (_lessons is not null)
        {
            return _lessons;
        }
        if (State.Timetable is null)
        {
            return _lessons = [];
        }
        return _lessons = [.. LessonSchedule.Expand(State.Timetable).Select(x =>
        {
            var id = LessonSchedule.LessonId(x.Date, x.Slot.Start);
            return new Lesson(id, x.Date, x.Slot.Start, x.Slot.DurationMinutes, x.Slot.Subject, x.MakeUp,
                State.Chapters.GetValueOrDefault(id), State.Classes.GetValueOrDefault(id));
        })];
    }

    private static LessonEvaluation Evaluate(string lessonId, List<LessonRating> ratings) =>
        new(lessonId, ratings.Count, ratings.Count == 0 ? null : Math.Round(ratings.Average(r => r.Rating), 2), [.. ratings]);

    private PairingSnapshot Snapshot()
    {
        var lessons = Lessons();
        var today = DateOnly.FromDateTime(Time.GetUtcNow().ToOffset(LessonSchedule.SchoolOffset).DateTime);
        var d = State.Definition;
        var progress = d is null ? null : new CourseProgress(
            d.TextbookEdition, d.Subject, d.Grade,
            State.CurrentChapterLessonId is { } cur ? State.Chapters.GetValueOrDefault(cur) : null,
            State.CurrentChapterLessonId,
            State.Chapters.Count);
        return new PairingSnapshot(
            Key.Id, d, State.Timetable, progress, lessons.Count,
            [.. lessons.Where(l => l.Date >= today).Take(UpcomingCount)],
            State.Sequence);
    }

    private static string? DefinitionProblem(PairingDefinition? d)
    {
        if (d is null || d.LeadClassroom is null || d.LeadTeacher is null || d.RuralClassrooms is null)
        {
            return "A pairing needs a lead classroom, a lead teacher and its rural classrooms.";
        }
        if (string.IsNullOrWhiteSpace(d.Name) || d.Name.Length > 200)
        {
            return "A pairing name has 1 to 200 characters.";
        }
        if (string.IsNullOrWhiteSpace(d.LeadClassroom.Id) || string.IsNullOrWhiteSpace(d.LeadTeacher.Id))
        {
            return "The lead classroom and lead teacher need ids.";
        }
        if (d.RuralClassrooms.Count is 0 or > 64 || d.RuralClassrooms.Any(c => c is null || string.IsNullOrWhiteSpace(c.Id)))
        {
            return "A pairing has 1 to 64 rural classrooms, each with an id.";
        }
        var ids = d.RuralClassrooms.Select(c => c.Id).Append(d.LeadClassroom.Id).ToList();
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
        {
            return "A classroom appears twice in the pairing.";
        }
        if (new[] { d.Subject, d.Grade, d.TextbookEdition }.Any(s => string.IsNullOrWhiteSpace(s) || s.Length > 100))
        {
            return "Subject, grade and textbook edition have 1 to 100 characters each.";
        }
        return null;
    }

    /// <summary>Best effort: the grain state is the truth; a failed listing update is retried by the next change.</summary>
    private async Task SyncListingAsync()
    {
        var d = State.Definition!;
        var t = State.Timetable;
        try
        {
            await Services.Pairings.UpsertAsync(new PairingListing(
                Key.Id, d.Name, d.LeadClassroom, d.LeadTeacher, d.RuralClassrooms, d.Subject, d.Grade, d.TextbookEdition,
                t?.TermName, t?.StartDate, t?.EndDate));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            PairingLog.ListingFailed(Logger, ex, Key);
        }
    }
}
