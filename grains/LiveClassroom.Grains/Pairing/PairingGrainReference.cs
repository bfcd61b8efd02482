using LiveClassroom.Grains.Hosting;

namespace LiveClassroom.Grains.Pairing;

/// <summary>What <see cref="IGrainFactory.GetGrain{T}"/> hands out: every call becomes one message in the grain's mailbox.</summary>
internal sealed class PairingGrainReference(GrainHost host, GrainKey key) : IRemoteClassPairingGrain
{
    public Task<PairingSnapshot> DefineAsync(RoomCaller caller, PairingDefinition definition) =>
        host.InvokeAsync<PairingGrain, PairingSnapshot>(key, g => g.DefineAsync(caller, definition));

    public Task<PairingSnapshot> SetTimetableAsync(RoomCaller caller, TermTimetable timetable) =>
        host.InvokeAsync<PairingGrain, PairingSnapshot>(key, g => g.SetTimetableAsync(caller, timetable));

    public Task<IReadOnlyList<Lesson>> GetLessonsAsync(RoomCaller caller, DateOnly? from = null, DateOnly? to = null) =>
        host.InvokeAsync<PairingGrain, IReadOnlyList<Lesson>>(key, g => g.GetLessonsAsync(caller, from, to));

    public Task<Lesson> SetLessonChapterAsync(RoomCaller caller, string lessonId, string chapter) =>
        host.InvokeAsync<PairingGrain, Lesson>(key, g => g.SetLessonChapterAsync(caller, lessonId, chapter));

    public Task<LessonEvaluation> RateLessonAsync(RoomCaller caller, string lessonId, int rating, string? comment) =>
        host.InvokeAsync<PairingGrain, LessonEvaluation>(key, g => g.RateLessonAsync(caller, lessonId, rating, comment));

    public Task<EvaluationSummary> GetEvaluationAsync(RoomCaller caller) =>
        host.InvokeAsync<PairingGrain, EvaluationSummary>(key, g => g.GetEvaluationAsync(caller));

    public Task<string> OpenLessonAsync(RoomCaller caller, string lessonId) =>
        host.InvokeAsync<PairingGrain, string>(key, g => g.OpenLessonAsync(caller, lessonId));

    public Task<PairingSnapshot> GetSnapshotAsync(RoomCaller caller) =>
        host.InvokeAsync<PairingGrain, PairingSnapshot>(key, g => g.GetSnapshotAsync(caller));
}
