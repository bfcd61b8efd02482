namespace LiveClassroom.Grains.Pairing;

/// <summary>The one course progress of a pairing: textbook edition, subject, grade and the latest chapter taught.</summary>
[GenerateSerializer, Immutable, Alias("lc.CourseProgress")]
public sealed record CourseProgress(
    string TextbookEdition,
    string Subject,
    string Grade,
    string? CurrentChapter,
    string? CurrentChapterLessonId,
    int LessonsWithChapter);
