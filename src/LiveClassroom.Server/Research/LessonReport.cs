namespace LiveClassroom.Server.Research;

/// <summary>The observation report of one lesson (评课报告); <see cref="ResourceId"/> is the library resource made from its recording, if any.</summary>
public sealed record LessonReport(
    Guid SessionId,
    string SessionTitle,
    string Subject,
    string Stage,
    string SessionStatus,
    LessonRecord Lesson,
    string RubricName,
    int ScaleMin,
    int ScaleMax,
    LessonScores Scores,
    IReadOnlyList<ReportComment> Comments,
    DateTimeOffset GeneratedAt,
    Guid? ResourceId);
