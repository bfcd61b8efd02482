namespace LiveClassroom.Grains.Pairing;

/// <summary>A pairing's state for pages: definition (null until defined), timetable, progress and the next lessons.</summary>
[GenerateSerializer, Immutable, Alias("lc.PairingSnapshot")]
public sealed record PairingSnapshot(
    string PairingId,
    PairingDefinition? Definition,
    TermTimetable? Timetable,
    CourseProgress? Progress,
    int LessonCount,
    IReadOnlyList<Lesson> UpcomingLessons,
    long Sequence);
