namespace LiveClassroom.Server.Research.Contracts;

/// <summary>POST /api/research/lesson-plans: the four fixes (主备人, 内容, 时间, 地点) and the first draft.</summary>
public sealed record CreateLessonPlanRequest(
    Guid? OrganisationId,
    string? Subject,
    string? Stage,
    string? Grade,
    string? Chapter,
    Guid? MainPreparerId,
    DateTimeOffset? PrepareAt,
    string? Place,
    Guid? SessionId,
    IReadOnlyList<Guid>? MemberIds,
    string? Body);
