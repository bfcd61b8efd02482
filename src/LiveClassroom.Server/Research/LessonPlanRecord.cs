namespace LiveClassroom.Server.Research;

/// <summary>A 集体备课 lesson plan: the four fixes (主备人 <see cref="MainPreparerId"/>, 内容 <see cref="Chapter"/>, 时间 <see cref="PrepareAt"/>, 地点 <see cref="Place"/>).</summary>
public sealed record LessonPlanRecord(
    Guid Id,
    Guid OrganisationId,
    string Subject,
    string Stage,
    string Grade,
    string Chapter,
    Guid MainPreparerId,
    DateTimeOffset? PrepareAt,
    string Place,
    Guid? SessionId,
    Guid? RecordingId,
    Guid CreatedBy,
    DateTimeOffset CreatedAt,
    IReadOnlyList<Guid> MemberIds);
