namespace LiveClassroom.Grains.Pairing;

/// <summary>
/// One concrete lesson generated from the timetable. <see cref="LessonId"/> is <c>yyyyMMdd-HHmm</c> (stable across
/// timetable edits that keep the lesson); <see cref="ClassId"/> is the live class id once opened.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.Lesson")]
public sealed record Lesson(
    string LessonId,
    DateOnly Date,
    TimeOnly Start,
    int DurationMinutes,
    string Subject,
    bool IsMakeUpDay,
    string? Chapter,
    string? ClassId);
