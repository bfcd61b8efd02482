namespace LiveClassroom.Server.Research;

/// <summary>The observation report of one lesson (评课报告).</summary>
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
    DateTimeOffset GeneratedAt);
